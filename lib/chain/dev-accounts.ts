import type { Hex } from "viem";

/**
 * Hardhat's public development accounts (mnemonic "test test … junk"), used only by the embedded
 * local chain of `npm start`. Everyone knows these keys: funds sent to them on a real network are lost.
 * Account #0 deploys the registry and is its admin and anchorer; account #1 is the receipt signer
 * (protocol/vectors.json `receipt.signer`).
 */
export const DEV_ACCOUNTS = {
  adminAndAnchorer: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  receiptSigner: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
} as const satisfies Record<string, Hex>;

/** The chain id of Hardhat's local network: the only chain on which a missing registry is redeployed. */
export const DEV_CHAIN_ID = 31337;
