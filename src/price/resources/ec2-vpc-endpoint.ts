/** AWS::EC2::VPCEndpoint: interface endpoints per AZ-hour and GB processed; gateway endpoints are free. */
import { hourly, type Pricer, plural, usage } from './common.js';

export const ec2VpcEndpoint: Pricer = (ctx) => {
  const p = ctx.props;
  const kind = p.str('VpcEndpointType', 'Gateway');
  if (kind === 'Gateway') return { components: [], free: 'gateway endpoints (S3, DynamoDB) are free' };
  const key = kind.toLowerCase(); // interface is in the book; other kinds report "not priced"
  const notes: string[] = [];
  let azs = p.list('SubnetIds').length;
  if (azs === 0) {
    azs = 1;
    notes.push('no SubnetIds: priced as one AZ');
  }
  return {
    components: [
      hourly(
        `Endpoint-AZ hours (${kind.toLowerCase()}, ${plural(azs, 'AZ')})`,
        'hours',
        azs,
        'vpc',
        `${key}_endpoint_az_hour`,
      ),
      usage('Data processed', 'GB', ctx.usage.dataProcessedGb, 'vpc', `${key}_endpoint_gb_processed`),
    ],
    notes,
  };
};
