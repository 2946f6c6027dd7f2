/**
 * The plan's types, re-exported from src/model for code above the planner (commands, reports,
 * documents). Tiers and renderers import src/model directly: importing this file from below the
 * planner would make the folders import each other.
 */
export type * from '../model/ecs.js';
export type * from '../model/lean.js';
export type * from '../model/plan.js';
