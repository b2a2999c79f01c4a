/** Query parameter of a callback URL carrying the Flora node's Options › Correlation ID; the Flora Trigger outputs it as `correlation_id`. */
export const CORRELATION_QUERY_PARAMETER = 'flora_correlation';
