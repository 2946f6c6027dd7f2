/**
 * stackplan's version, as `stackplan --version` prints it, SARIF names the tool, and the generated
 * CI workflows install it (keep it equal to package.json's `version`; a test checks).
 */
export const VERSION = '0.1.0';
