import { defineConfig } from 'vitest/config';

// Three projects so a developer can run one layer (`npm run test:unit`); `npm test` runs them all.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Real networks and real firewalls: one file at a time, so namespaces and nft tables never race.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      // Windows for real: only on a Windows VM with PORT_AUDITOR_WINDOWS_LIVE=1 (npm run
      // test:windows-live, .github/workflows/windows-live.yml); never part of npm test.
      ...(process.env.PORT_AUDITOR_WINDOWS_LIVE === '1'
        ? [
            {
              test: {
                name: 'windows-live',
                include: ['test/windows-live/**/*.test.ts'],
                fileParallelism: false,
                testTimeout: 900_000,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
