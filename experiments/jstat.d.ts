// The one function of jstat the experiments use (the package ships no types; it is CommonJS, so its exports
// arrive as the default import).

declare module 'jstat' {
  const jstat: {
    jStat: {
      studentt: {
        /** The p-quantile of Student's t distribution with `dof` degrees of freedom. */
        inv(p: number, dof: number): number;
      };
    };
  };
  export default jstat;
}
