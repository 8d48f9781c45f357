export interface Config {
  lakeport?: {
    devSignIn?: {
      /**
       * Lets anyone sign in as any user of the catalog, for trying the
       * requester / owner / steward journeys in one browser. Development only:
       * refused whenever auth.environment or NODE_ENV is production.
       */
      enabled?: boolean;
    };
  };
}
