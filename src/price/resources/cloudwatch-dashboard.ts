/** AWS::CloudWatch::Dashboard: a monthly fee per dashboard. */
import { monthly, type Pricer } from './common.js';

export const cloudWatchDashboard: Pricer = () => ({
  components: [
    monthly('Dashboard', 'months', 1, 'cloudwatch', 'dashboard_month', { meter: 'cloudwatch.dashboards' }),
  ],
});
