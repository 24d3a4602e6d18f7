import { CreateUsers1763700000000 } from '../../migrations/1763700000000-CreateUsers.js';
import { AddUnverifiedEmail1763710000000 } from '../../migrations/1763710000000-AddUnverifiedEmail.js';
import { CreateAuditEvents1763720000000 } from '../../migrations/1763720000000-CreateAuditEvents.js';
import { AddGoogleSub1763730000000 } from '../../migrations/1763730000000-AddGoogleSub.js';
import { AddSigningKeys1763740000000 } from '../../migrations/1763740000000-AddSigningKeys.js';
import { AddTokenRevocations1763750000000 } from '../../migrations/1763750000000-AddTokenRevocations.js';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list works from TypeScript under
 * jest, from compiled JavaScript, and in the CLI. `npm run migration:generate -- migrations/<Name>` writes a
 * new file under migrations/; add its class here.
 */
export const MIGRATIONS = [CreateUsers1763700000000, AddUnverifiedEmail1763710000000, CreateAuditEvents1763720000000, AddGoogleSub1763730000000, AddSigningKeys1763740000000, AddTokenRevocations1763750000000];
