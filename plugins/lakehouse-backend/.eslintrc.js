module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // Benchmarks are development tools, like tests: devDependencies are fine.
      files: ['src/bench/**'],
      rules: { '@backstage/no-undeclared-imports': 'off' },
    },
  ],
});
