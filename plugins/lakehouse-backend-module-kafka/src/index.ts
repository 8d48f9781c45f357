/**
 * Kafka clusters as a Lakeport stream source.
 *
 * @packageDocumentation
 */
export { lakehouseModuleKafka as default } from './module';
export { KafkaStreamSource } from './KafkaStreamSource';
