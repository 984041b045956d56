import type { Client } from '../../shared/rpc/client';
import type { SlipwayContract } from '../../shared/contract';
import { formatTable, type CliIO, type OutputFormat } from '../io';

/** `slipway system info`: Slipway's version and the local Docker engine's. */
export async function systemInfo(client: Client<SlipwayContract>, io: CliIO, output: OutputFormat): Promise<number> {
  const info = await client.system.info();
  if (output === 'json') {
    io.out(JSON.stringify(info, null, 2));
  } else {
    io.out(
      formatTable(
        ['Slipway', 'Docker', 'API', 'OS/Arch', 'Endpoint'],
        [
          [
            info.slipwayVersion,
            info.docker.version,
            info.docker.apiVersion,
            `${info.docker.os}/${info.docker.arch}`,
            info.docker.endpoint,
          ],
        ],
      ),
    );
  }
  return 0;
}
