import type { INodeProperties } from 'n8n-workflow';

const downloadOutputsDescription =
	'Whether to download each output into binary data, ready for nodes like Google Drive, S3, Slack or Send Email. Text outputs become .txt files.';

/** How a finished run becomes items; shared by Run and Wait, Get and the Flora Trigger. */
export function outputOptionFields(downloadByDefault: boolean): INodeProperties[] {
	// Two literals, not `default: downloadByDefault`: n8n's package scan requires a literal boolean default.
	const downloadOutputs: INodeProperties = downloadByDefault
		? {
				displayName: 'Download Outputs',
				name: 'downloadOutputs',
				type: 'boolean',
				default: true,
				description: downloadOutputsDescription,
			}
		: {
				displayName: 'Download Outputs',
				name: 'downloadOutputs',
				type: 'boolean',
				default: false,
				description: downloadOutputsDescription,
			};
	return [
		downloadOutputs,
		{
			displayName: 'Output Layout',
			name: 'outputLayout',
			type: 'options',
			default: 'perOutput',
			options: [
				{
					name: 'One Item per Output',
					value: 'perOutput',
					description: "Each output its own item, with its file in the binary property 'data'",
				},
				{
					name: 'One Item per Run',
					value: 'perRun',
					description: "One item per run, its files in binary properties 'output_0', 'output_1', …",
				},
			],
		},
		{
			displayName: 'Max Download Size (MB)',
			name: 'maxDownloadSize',
			type: 'number',
			default: 1024,
			typeOptions: { minValue: 1 },
			description:
				'Outputs larger than this are not downloaded (the item keeps their URL and the error says why). Only HTTPS URLs on public hosts are ever downloaded.',
		},
	];
}
