/** AWS::Transfer::Server: hours for each protocol enabled (default SFTP), GB uploaded and downloaded (usage). */
import { hourly, type Pricer, usage } from './common.js';

export const transferServer: Pricer = (ctx) => {
  const p = ctx.props;
  const protocols = p.has('Protocols')
    ? p.list('Protocols').map((_, i) => p.str(`Protocols.${i}`)!)
    : ['SFTP'];
  return {
    components: [
      hourly(
        `Server endpoint (${protocols.join(', ')})`,
        'protocol-hours',
        protocols.length,
        'transfer',
        'protocol_hour',
      ),
      usage('Data uploaded and downloaded', 'GB', ctx.usage.dataGb, 'transfer', 'data_gb'),
    ],
    notes: ['billed while the server exists, even when stopped'],
  };
};
