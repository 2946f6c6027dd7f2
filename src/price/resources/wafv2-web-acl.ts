/** AWS::WAFv2::WebACL: a monthly fee per web ACL and per rule, and requests inspected (usage). */
import { monthly, type Pricer, per, plural, usage } from './common.js';

const PAID_MANAGED = /BotControl|ATP|ACFP|AntiDDoS/;

export const wafv2WebAcl: Pricer = (ctx) => {
  const rules = ctx.props.subs('Rules');
  const notes: string[] = [];
  for (const r of rules) {
    const name = r.str('Statement.ManagedRuleGroupStatement.Name', '');
    if (PAID_MANAGED.test(name)) notes.push(`${name} has its own subscription and request fees (not priced)`);
  }
  const requests = ctx.usage.requests ?? ctx.global.requestsPerMonth;
  if (ctx.usage.requests === undefined && requests !== undefined)
    notes.push('requests: the app’s requestsPerMonth');
  return {
    components: [
      monthly('Web ACL', 'months', 1, 'waf', 'web_acl_month'),
      monthly(`Rules (${plural(rules.length, 'rule')})`, 'rule-months', rules.length, 'waf', 'rule_month'),
      usage('Requests', '1M requests', per(requests, 1e6), 'waf', 'requests_per_million'),
    ],
    notes,
  };
};
