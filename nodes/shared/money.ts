/** `$0.08`, `$1.50`, `$0.0125`: FLORA's USD prices as people read them. */
export function formatUsd(amount: number): string {
	return `$${amount.toFixed(amount < 1 ? 4 : 2).replace(/(\.\d\d)0+$/, '$1')}`;
}
