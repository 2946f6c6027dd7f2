/** AWS::S3::Bucket: Standard storage and requests, all usage. */
import { type Pricer, per, usage } from './common.js';

export const s3Bucket: Pricer = (ctx) => {
  const u = ctx.usage;
  const notes: string[] = [];
  if (ctx.props.str('VersioningConfiguration.Status', 'Suspended') === 'Enabled') {
    notes.push('versioning keeps old versions: include them in storageGb');
  }
  // Object Lock: nothing written can be deleted before its lock runs out, so the storage is at least
  // everything written in the retention, and a noncurrent-version rule keeps expired versions longer.
  const lockDays =
    ctx.props.num('ObjectLockConfiguration.Rule.DefaultRetention.Days') ??
    (ctx.props.num('ObjectLockConfiguration.Rule.DefaultRetention.Years') ?? 0) * 365;
  if (lockDays > 0) {
    const mode = ctx.props
      .str('ObjectLockConfiguration.Rule.DefaultRetention.Mode', 'GOVERNANCE')
      .toLowerCase();
    const noncurrent = Math.max(
      0,
      ...ctx.props
        .subs('LifecycleConfiguration.Rules')
        .map((r) => r.num('NoncurrentVersionExpiration.NoncurrentDays') ?? 0),
    );
    notes.push(
      `Object Lock (${mode}) keeps every version written for ${lockDays} days, and cannot be deleted sooner: storageGb is at least all data written in ${lockDays} days` +
        (noncurrent
          ? `, and expired versions stay up to ${noncurrent} days more (up to ${lockDays + noncurrent} days of writes in all)`
          : ''),
    );
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
