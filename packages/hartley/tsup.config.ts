import { packageBuildConfig } from '../../tools/tsup.shared';

// Zero dependencies and no Node APIs: built for any platform.
export default packageBuildConfig({ platform: 'neutral' });
