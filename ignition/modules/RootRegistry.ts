/**
 * Hardhat Ignition module deploying one ledger's RootRegistry (PROTOCOL.md §4).
 *
 * Parameters (all under "RootRegistryModule"):
 * - genesisRoot:   the ledger's genesis root, `keccak256("sealbook/genesis/v1:" ‖ ledgerId)`; required.
 * - admin:         the default admin; defaults to the deploying account.
 * - anchorer:      granted ANCHORER_ROLE; required.
 * - receiptSigner: granted RECEIPT_SIGNER_ROLE; required.
 *
 * For example: `npx hardhat ignition deploy ignition/modules/RootRegistry.ts --network NAME
 * --parameters params.json`. The server and the CLI deploy without Hardhat, see lib/chain/deploy.ts.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export default buildModule("RootRegistryModule", (m) => {
  const genesisRoot = m.getParameter<string>("genesisRoot");
  const admin = m.getParameter("admin", m.getAccount(0));
  const anchorer = m.getParameter<string>("anchorer");
  const receiptSigner = m.getParameter<string>("receiptSigner");
  const rootRegistry = m.contract("RootRegistry", [genesisRoot, admin, anchorer, receiptSigner]);
  return { rootRegistry };
});
