import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { recoverTypedDataAddress, verifyTypedData } from "viem";
import { receiptDomain, receiptPrimaryType, receiptTypes } from "../../lib/protocol/receipt";
import { deployRegistry } from "./fixture";
import { deterministicHashes, vectors } from "./vectors";

const { viem, networkHelpers } = await network.create();
const { receipt } = vectors;
const message = { ...receipt.message, acceptedAt: BigInt(receipt.message.acceptedAt), sealBy: BigInt(receipt.message.sealBy) };

describe("Acceptance receipt (EIP-712)", () => {
  it("defines the same domain and types as the receipt vector", () => {
    assert.deepEqual(receiptDomain(receipt.domain.chainId, receipt.domain.verifyingContract), receipt.domain);
    assert.deepEqual(receiptTypes, receipt.types);
    assert.equal(receiptPrimaryType, receipt.primaryType);
  });

  it("recovers the receipt vector's signature to its signer, Hardhat dev account #1", async () => {
    const domain = receiptDomain(receipt.domain.chainId, receipt.domain.verifyingContract);
    const typedData = { domain, types: receiptTypes, primaryType: receiptPrimaryType, message } as const;
    const recovered = await recoverTypedDataAddress({ ...typedData, signature: receipt.signature });
    assert.equal(recovered, receipt.signer);
    assert.equal(await verifyTypedData({ ...typedData, address: receipt.signer, signature: receipt.signature }), true);
    const [, account1] = await viem.getWalletClients();
    assert.equal(account1.account.address.toLowerCase(), receipt.signer.toLowerCase());
  });

  it("recovers another address when any field of the receipt is changed", async () => {
    const domain = receiptDomain(receipt.domain.chainId, receipt.domain.verifyingContract);
    const [otherHash] = deterministicHashes("receipt/other", 1);
    const altered = [
      { domain, message: { ...message, entryHash: otherHash } },
      { domain, message: { ...message, prevRoot: otherHash } },
      { domain, message: { ...message, acceptedAt: message.acceptedAt + 1n } },
      { domain, message: { ...message, sealBy: message.sealBy + 1n } },
      { domain: receiptDomain(1, receipt.domain.verifyingContract), message },
    ];
    for (const variant of altered) {
      const recovered = await recoverTypedDataAddress({
        ...variant,
        types: receiptTypes,
        primaryType: receiptPrimaryType,
        signature: receipt.signature,
      });
      assert.notEqual(recovered, receipt.signer);
    }
  });

  it("signs a receipt for a deployed registry with an account that holds RECEIPT_SIGNER_ROLE there", async () => {
    const { registry, receiptSigner } = await networkHelpers.loadFixture(async function deployRegistryFixture() {
      return deployRegistry(viem);
    });
    const chainId = await (await viem.getPublicClient()).getChainId();
    const typedData = { domain: receiptDomain(chainId, registry.address), types: receiptTypes, primaryType: receiptPrimaryType, message } as const;
    const signature = await receiptSigner.signTypedData(typedData);
    const signer = await recoverTypedDataAddress({ ...typedData, signature });
    assert.equal(await registry.read.hasRole([await registry.read.RECEIPT_SIGNER_ROLE(), signer]), true);
  });
});
