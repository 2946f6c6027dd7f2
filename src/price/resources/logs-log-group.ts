/** AWS::Logs::LogGroup: GB ingested and GB stored (usage; stored defaults from ingestion × retention). */
import { type Pricer, usage } from './common.js';

export const logsLogGroup: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const cls = p.str('LogGroupClass', 'STANDARD');
  const ia = cls === 'INFREQUENT_ACCESS';
  const ingested = ctx.usage.ingestedGb;
  let stored = ctx.usage.storedGb;
  const retention = p.num('RetentionInDays');
  if (stored === undefined && ingested !== undefined && retention !== undefined) {
    stored = ingested * (retention / 30);
    notes.push(
      `stored GB: a month's ingestion × ${retention} days of retention (uncompressed, an upper bound)`,
    );
  }
  if (retention === undefined) notes.push('logs never expire: stored GB grows every month');
  return {
    components: [
      usage(
        `Data ingested (${ia ? 'Infrequent Access' : 'Standard'})`,
        'GB',
        ingested,
        'cloudwatch',
        ia ? 'logs_ingested_ia_gb' : 'logs_ingested_gb',
        {
          meter: 'logs.ingest.gb',
        },
      ),
      usage('Archival storage', 'GB-months', stored, 'cloudwatch', 'logs_stored_gb_month', {
        meter: 'logs.stored.gb',
      }),
    ],
    notes,
  };
};
