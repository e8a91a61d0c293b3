/**
 * Who administers the RootRegistry (issue 12, item 10). The admin (DEFAULT_ADMIN_ROLE) grants
 * RECEIPT_SIGNER_ROLE and ANCHORER_ROLE, so an admin key the server holds online (the anchorer's or
 * the receipt signer's) would let whoever takes the server grant itself the receipt role and sign
 * receipts that verify. On any chain but the local demo chain (31337) the admin must be named
 * (a cold key or a multisig) and be neither of the server's accounts. `sealbook deploy` enforces
 * this; `registryAdminWarnings` says the same about a configuration for `sealbook config check`.
 */
import { getAddress, isAddress, type Address } from "viem";
import type { SealbookConfig } from "../../config";
import { rootRegistryAbi } from "./abi";
import { publicClientFor } from "../clients";
import { DEV_CHAIN_ID } from "../dev-accounts";
import { accountFromPrivateKey, secretRedactor } from "../secrets";

/** The accounts a deployment would set up. */
export interface RegistryAccounts {
  chainId: number;
  /** The admin named with --admin; null when none was named. */
  admin: Address | null;
  anchorer: Address;
  receiptSigner: Address;
}

/**
 * What is wrong with deploying a registry with these accounts, one sentence each; empty when
 * nothing is. On chain 31337 (the local demo chain) nothing is: its keys are public anyway.
 */
export function registryAdminProblems(accounts: RegistryAccounts): string[] {
  if (accounts.chainId === DEV_CHAIN_ID) return [];
  if (accounts.admin === null) {
    return [
      `On chain ${accounts.chainId}, name the registry's admin with --admin <address>: a cold key or a multisig. ` +
        "The admin grants RECEIPT_SIGNER_ROLE, so it must not be a key the server holds.",
    ];
  }
  const admin = getAddress(accounts.admin);
  const problems: string[] = [];
  if (admin === getAddress(accounts.anchorer)) {
    problems.push(`The admin ${admin} is the anchorer (ANCHOR_PRIVATE_KEY), a key the server holds online: whoever takes the server could grant itself RECEIPT_SIGNER_ROLE and sign receipts that verify. Use a cold key or a multisig.`);
  }
  if (admin === getAddress(accounts.receiptSigner)) {
    problems.push(`The admin ${admin} is the receipt signer (RECEIPT_PRIVATE_KEY), a key the server holds online: whoever takes the server could grant roles. Use a cold key or a multisig.`);
  }
  return problems;
}

const DEFAULT_ADMIN_ROLE = `0x${"00".repeat(32)}` as const;

/** Whether `account` holds `role` on `registry`: the one chain read the warnings need, handed in so that tests need no chain. */
export type HasRole = (role: `0x${string}`, account: Address) => Promise<boolean>;

function addressOfKey(key: string | undefined): Address | null {
  if (!key) return null;
  try {
    return accountFromPrivateKey(key, "key").address;
  } catch {
    return null;
  }
}

/**
 * Warnings about who administers the registry under `config`, one sentence each, for `sealbook
 * config check`. Nothing for the embedded demo (RPC_URL unset). Otherwise: DEPLOYER_PRIVATE_KEY
 * missing (it would default to the anchorer's key) or equal to a key the server holds; and, when
 * the registry is known, the anchorer or receipt signer holding DEFAULT_ADMIN_ROLE on it
 * (`hasRole` defaults to reading RPC_URL). A chain that cannot be read is said, not thrown.
 */
export async function registryAdminWarnings(config: SealbookConfig, hasRole?: HasRole): Promise<string[]> {
  if (!config.RPC_URL) return [];
  const warnings: string[] = [];
  const anchorer = addressOfKey(config.ANCHOR_PRIVATE_KEY);
  const receiptSigner = addressOfKey(config.RECEIPT_PRIVATE_KEY);
  const deployer = addressOfKey(config.DEPLOYER_PRIVATE_KEY);
  if (!config.DEPLOYER_PRIVATE_KEY && anchorer) {
    warnings.push("DEPLOYER_PRIVATE_KEY is unset, so `sealbook deploy` would pay with ANCHOR_PRIVATE_KEY; give the registry a cold admin with --admin, and preferably deploy from another key.");
  } else if (deployer && (deployer === anchorer || deployer === receiptSigner)) {
    warnings.push(`DEPLOYER_PRIVATE_KEY is the same key as ${deployer === anchorer ? "ANCHOR_PRIVATE_KEY" : "RECEIPT_PRIVATE_KEY"}, which the server holds online; deploy from another key and give the registry a cold admin with --admin.`);
  }
  if (!config.REGISTRY_ADDRESS || !isAddress(config.REGISTRY_ADDRESS)) return warnings;
  const registry = getAddress(config.REGISTRY_ADDRESS);
  const readRole: HasRole =
    hasRole ??
    ((role, account) => publicClientFor(config.RPC_URL!).readContract({ address: registry, abi: rootRegistryAbi, functionName: "hasRole", args: [role, account] }) as Promise<boolean>);
  for (const [name, account] of [
    ["anchorer (ANCHOR_PRIVATE_KEY)", anchorer],
    ["receipt signer (RECEIPT_PRIVATE_KEY)", receiptSigner],
  ] as const) {
    if (!account) continue;
    try {
      if (await readRole(DEFAULT_ADMIN_ROLE, account)) {
        warnings.push(
          `The ${name} ${account} holds DEFAULT_ADMIN_ROLE on the registry ${registry}: whoever takes the server could grant itself RECEIPT_SIGNER_ROLE. ` +
            "Grant the admin role to a cold key or a multisig, then renounce it from this account.",
        );
      }
    } catch (error) {
      const redact = secretRedactor({ rpcUrls: [config.RPC_URL] });
      warnings.push(`Could not read the registry's admin role on chain (${redact((error as Error).message.split("\n")[0])}); check it by hand.`);
      break;
    }
  }
  return warnings;
}
