export interface Config {
  lakeport?: {
    /**
     * Groups whose members administer the portal (e.g. run a lakehouse sync
     * now). Default: [group:default/data-platform].
     */
    platformAdminGroups?: string[];
    scaffolder?: {
      /**
       * Groups whose members may run templates (and their dry runs).
       * Default: every signed-in user.
       */
      templateRunnerGroups?: string[];
    };
  };
}
