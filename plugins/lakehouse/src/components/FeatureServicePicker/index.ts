export { FeatureServicePicker } from './FeatureServicePicker';
