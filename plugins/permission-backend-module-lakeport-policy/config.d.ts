export interface Config {
  lakeport?: {
    /**
     * Groups whose members administer the portal (e.g. run a lakehouse sync
     * now). Default: [group:default/data-platform].
     */
    platformAdminGroups?: string[];
  };
}
