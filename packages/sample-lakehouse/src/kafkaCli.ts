/* eslint-disable no-console */
// Usage: yarn workspace @lakeport/sample-lakehouse kafka-sample 127.0.0.1:9092
import { seedSampleTopics } from './kafkaSample';

seedSampleTopics(process.argv[2] ?? '127.0.0.1:9092').then(
  created =>
    console.log(
      created.length
        ? `Sample topics created: ${created.join(', ')}`
        : 'Sample topics already there',
    ),
  e => {
    console.error(`Could not seed the sample topics: ${e.message}`);
    process.exit(1);
  },
);
