/** AWS::EC2::EIP: every public IPv4 address is billed by the hour, attached or idle. */
import { hourly, type Pricer } from './common.js';

export const ec2Eip: Pricer = () => ({
  components: [
    hourly('Public IPv4 address (Elastic IP)', 'hours', 1, 'vpc', 'public_ipv4_hour', {
      meter: 'ipv4.hours',
    }),
  ],
});
