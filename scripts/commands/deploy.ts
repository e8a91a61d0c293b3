import { getAddress, isAddress, type Address } from "viem";
import { publicClientFor } from "../../lib/chain/clients";
import { deployRootRegistry, RootRegistryDeployError } from "../../lib/chain/deploy";
import { registryAdminProblems } from "../../lib/chain/registry/admin";
import { RootRegistryArtifactError } from "../../lib/chain/artifact";
import { accountFromPrivateKey, PrivateKeyConfigError, secretRedactor } from "../../lib/chain/secrets";
import { readConfig } from "../../lib/config";
import { genesisRootOf } from "../../lib/protocol/hash";
import { CliError, type Command } from "../cli-kit";
import { commandSpec } from "./specs";

export const deploy: Command = {
  ...commandSpec("deploy"),
  async run({ values }) {
    let config;
    try {
      config = readConfig();
    } catch (error) {
      throw new CliError((error as Error).message, 2);
    }
    if (!config.RPC_URL) {
      throw new CliError("Set RPC_URL to the chain to deploy to. (Without RPC_URL, `npm start` runs a local chain and deploys its own registry.)", 2);
    }
    const deployerKey = config.DEPLOYER_PRIVATE_KEY ?? config.ANCHOR_PRIVATE_KEY;
    if (!deployerKey) throw new CliError("Set DEPLOYER_PRIVATE_KEY (or ANCHOR_PRIVATE_KEY) to the key that pays for the deployment.", 2);
    const redact = secretRedactor({ privateKeys: [config.DEPLOYER_PRIVATE_KEY, config.ANCHOR_PRIVATE_KEY, config.RECEIPT_PRIVATE_KEY], rpcUrls: [config.RPC_URL] });
    const deployer = keyAddress(deployerKey, config.DEPLOYER_PRIVATE_KEY ? "DEPLOYER_PRIVATE_KEY" : "ANCHOR_PRIVATE_KEY");
    const anchorer = addressFlag(values.anchorer, "--anchorer") ?? (config.ANCHOR_PRIVATE_KEY ? keyAddress(config.ANCHOR_PRIVATE_KEY, "ANCHOR_PRIVATE_KEY") : null);
    const receiptSigner =
      addressFlag(values["receipt-signer"], "--receipt-signer") ?? (config.RECEIPT_PRIVATE_KEY ? keyAddress(config.RECEIPT_PRIVATE_KEY, "RECEIPT_PRIVATE_KEY") : null);
    if (!anchorer) throw new CliError("Name the anchorer: set ANCHOR_PRIVATE_KEY or pass --anchorer <address>.", 2);
    if (!receiptSigner) throw new CliError("Name the receipt signer: set RECEIPT_PRIVATE_KEY or pass --receipt-signer <address>.", 2);
    const namedAdmin = addressFlag(values.admin, "--admin");
    let chainId: number;
    try {
      chainId = await publicClientFor(config.RPC_URL).getChainId();
    } catch (error) {
      throw new CliError(redact(`Cannot read the chain id from RPC_URL: ${(error as Error).message.split("\n")[0]}`), 3);
    }
    const problems = registryAdminProblems({ chainId, admin: namedAdmin, anchorer, receiptSigner });
    if (problems.length > 0) throw new CliError(problems.join("\n"), 2);
    const admin = namedAdmin ?? deployer;
    const genesisRoot = genesisRootOf(config.LEDGER_ID);
    if (!values.json) console.error(`deploy: deploying the RootRegistry of ledger "${config.LEDGER_ID}" from ${deployer} through ${redact(config.RPC_URL)} …`);
    let deployed;
    try {
      deployed = await deployRootRegistry({ rpcUrl: config.RPC_URL, deployerPrivateKey: normalizeKey(deployerKey), genesisRoot, admin, anchorer, receiptSigner });
    } catch (error) {
      if (error instanceof RootRegistryArtifactError) throw new CliError(error.message, 1);
      if (error instanceof RootRegistryDeployError) {
        const cause = error.cause instanceof Error ? ` (${redact((error.cause as { shortMessage?: string }).shortMessage ?? error.cause.message)})` : "";
        throw new CliError(redact(error.message) + cause, 1);
      }
      throw new CliError(redact(`The deployment failed: ${(error as Error).message}`), 1);
    }
    const result = { ...deployed, address: getAddress(deployed.address), ledgerId: config.LEDGER_ID, genesisRoot, admin, anchorer, receiptSigner };
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`RootRegistry deployed at ${result.address} on chain ${result.chainId} (tx ${result.txHash}, block ${result.blockNumber}).`);
      console.log(`  genesis root ${genesisRoot}; admin ${admin}; ANCHORER_ROLE → ${anchorer}; RECEIPT_SIGNER_ROLE → ${receiptSigner}`);
      console.log(`Set REGISTRY_ADDRESS=${result.address} for the server and the worker.`);
    }
  },
};

function keyAddress(key: string, variable: string): Address {
  try {
    return accountFromPrivateKey(key, variable).address;
  } catch (error) {
    if (error instanceof PrivateKeyConfigError) throw new CliError(error.message, 2);
    throw error;
  }
}

function normalizeKey(key: string): `0x${string}` {
  const trimmed = key.trim().toLowerCase();
  return (trimmed.startsWith("0x") ? trimmed : `0x${trimmed}`) as `0x${string}`;
}

function addressFlag(value: unknown, flag: string): Address | null {
  if (value === undefined) return null;
  if (typeof value !== "string" || !isAddress(value)) throw new CliError(`${flag} must be an address (0x followed by 40 hex digits), not ${JSON.stringify(value)}.`);
  return getAddress(value);
}
