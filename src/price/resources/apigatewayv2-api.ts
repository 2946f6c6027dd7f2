/**
 * AWS::ApiGatewayV2::Api and AWS::Serverless::HttpApi: HTTP API requests (usage; by default an
 * equal share of the app's requests), or for WebSocket APIs messages and connection minutes.
 */
import { isSamImplicit, type Pricer, per, usage } from './common.js';

export const apiGatewayV2Api: Pricer = (ctx) => {
  const protocol = ctx.type === 'AWS::Serverless::HttpApi' ? 'HTTP' : ctx.props.str('ProtocolType', 'HTTP');
  const notes: string[] = [];
  if (protocol === 'WEBSOCKET') {
    return {
      components: [
        usage(
          'Messages (WebSocket)',
          '1M messages',
          per(ctx.usage.messages, 1e6),
          'apigateway',
          'websocket_messages_per_million',
        ),
        usage(
          'Connection minutes (WebSocket)',
          '1M connection-minutes',
          per(ctx.usage.connectionMinutes, 1e6),
          'apigateway',
          'websocket_connection_minutes_per_million',
        ),
      ],
    };
  }
  const requests = ctx.usage.requests ?? ctx.shared.apiRequests;
  if (ctx.usage.requests === undefined && requests !== undefined)
    notes.push('requests: an equal share of requestsPerMonth among the templates’ APIs');
  if (isSamImplicit(ctx)) notes.push('created by SAM for the functions’ HttpApi events');
  return {
    components: [
      usage(
        'API requests (HTTP API)',
        '1M requests',
        per(requests, 1e6),
        'apigateway',
        'http_requests_per_million',
        {
          meter: 'apigateway.http.1m',
        },
      ),
    ],
    notes,
  };
};
