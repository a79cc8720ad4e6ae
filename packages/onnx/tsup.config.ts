import { packageBuildConfig } from '../../tools/tsup.shared';

export default packageBuildConfig();
