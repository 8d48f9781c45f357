export { DatasetPicker } from './DatasetPicker';
