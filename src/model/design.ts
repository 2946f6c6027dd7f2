/**
 * What a tier tells the design document beyond what its template and cost report show: the nodes
 * drawn inside template resources (a host's containers), what it enforces, its backups and restore
 * procedure, its failure modes, its runbooks, and how data leaves and enters it (the upgrade path).
 * Data only: the document (src/design) renders it; the tier (src/tiers/<tier>/design.ts) fills it
 * from its plan, so no code outside a tier's folder needs to know what the tier runs.
 */

/** The diagram's colour categories. */
export type DiagramCategory = 'network' | 'edge' | 'compute' | 'data' | 'operations';

/** A node the caller adds: a container on a host, a Kubernetes workload, an external service. */
export interface ExtraNode {
  /** Unique among nodes; must not be a logical id of the template. */
  id: string;
  title: string;
  subtitle?: string;
  category: DiagramCategory;
  /** Drawn inside this resource (logical id; it becomes a container) or this extra node. */
  inside?: string;
  /**
   * The node inside its container that receives the traffic reaching the container (a host's
   * nginx): edges into the container are drawn to it, so the request flow continues inside.
   */
  entry?: boolean;
}

/** An edge the caller adds between nodes (logical ids, extra ids, or `internet`). */
export interface ExtraEdge {
  from: string;
  to: string;
  /** Traffic edges carry requests; the request flow follows them. @default true */
  traffic?: boolean;
}

/** One step of a procedure: what to do, and the exact command when there is one. */
export interface Step {
  say: string;
  /** A shell command (several lines allowed), run from the directory `plan` wrote. */
  run?: string;
}

export interface BackupDesign {
  what: string;
  schedule: string;
  retention: string;
  where: string;
  /** How a backup is known to be good. */
  verified: string;
}

export interface FailureMode {
  failure: string;
  /** What the tier does about it, and what the operator does. */
  response: string;
  /** Time to recover, in words (what the RTO rests on). */
  recovery: string;
}

/** How one kind of data leaves or enters a tier (the upgrade path joins one tier's out to the next's in). */
export interface DataMove {
  postgres?: Step[];
  redis?: Step[];
  buckets?: Step[];
}

export interface TierDesign {
  /** Nodes drawn inside template resources, and the edges between them. */
  diagram?: { extraNodes: ExtraNode[]; extraEdges: ExtraEdge[] };
  /** Recovery time the tier can give, in hours, and what it rests on. */
  rto: { hours: number; basis: string };
  /** Security controls the tier enforces, one sentence each. */
  enforced: string[];
  backups: BackupDesign[];
  restore: Step[];
  failureModes: FailureMode[];
  runbook: {
    first: Step[];
    update: Step[];
    rollback: Step[];
    rotateSecrets: Step[];
    destroy: Step[];
    /** What stays after destroying (retained buckets, snapshots). */
    survives: string[];
  };
  /** Taking the app's data out of this tier (into files in the working directory). */
  dataOut: DataMove;
  /** Loading those files into this tier. */
  dataIn: DataMove;
  /** How traffic reaches the tier: what DNS points at (for the cutover step). */
  dnsTarget: string;
}

/** What a tier's design() is given. */
export interface TierDesignContext {
  /** The main stack's synthesized template. */
  template: Record<string, unknown>;
  stackName: string;
  /** The cloud assembly's path as the document shows it (`out/lean/cdk.out`). */
  assemblyDir: string;
}

/** `aws cloudformation describe-stacks` for one output of a stack, as a shell command substitution. */
export function stackOutput(stackName: string, region: string, key: string): string {
  return `$(aws cloudformation describe-stacks --region ${region} --stack-name ${stackName} --query "Stacks[0].Outputs[?OutputKey=='${key}'].OutputValue" --output text)`;
}
