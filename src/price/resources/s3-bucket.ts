/** AWS::S3::Bucket: Standard storage and requests, all usage. */
import { type Pricer, per, usage } from './common.js';

export const s3Bucket: Pricer = (ctx) => {
  const u = ctx.usage;
  const notes: string[] = [];
  if (ctx.props.str('VersioningConfiguration.Status', 'Suspended') === 'Enabled') {
    notes.push('versioning keeps old versions: include them in storageGb');
  }
  return {
    components: [
      usage('Storage (Standard)', 'GB-months', u.storageGb, 's3', 'standard_gb_month', {
        meter: 's3.standard.gb',
      }),
      usage(
        'PUT, COPY, POST, LIST requests',
        '1k requests',
        per(u.putRequests, 1000),
        's3',
        'put_copy_post_list_per_1k',
        {
          meter: 's3.put.1k',
        },
      ),
      usage(
        'GET, SELECT and all other requests',
        '1k requests',
        per(u.getRequests, 1000),
        's3',
        'get_per_1k',
        {
          meter: 's3.get.1k',
        },
      ),
    ],
    notes,
  };
};
