import type { Metadata } from "next";
import Link from "next/link";
import { PageIntro } from "@/components/ui/page-intro";
import { TrustNote } from "@/components/ui/trust-note";
import { Verifier } from "@/components/verify/verifier";
import { getChainSettings } from "@/lib/portal/chain-settings";
import { getRuntime } from "@/lib/server/runtime";

// Reads the chain settings of this deployment at request time.
export const dynamic = "force-dynamic";
export const metadata: Metadata = {
  title: "Verify a record",
  description: "Check in your own browser that a record is sealed in the ledger and anchored on the blockchain.",
};

export default async function VerifyPage({ searchParams }: { searchParams: Promise<{ entry?: string | string[] }> }) {
  const { entry } = await searchParams;
  const requested = Array.isArray(entry) ? entry[0] : entry;
  const initialEntry = requested && /^0x[0-9a-fA-F]{64}$/.test(requested) ? requested.toLowerCase() : null;
  const runtime = await getRuntime();
  const { ledger } = runtime;
  const chain = await getChainSettings(runtime);
  return (
    <>
      <PageIntro title="Verify a record">
        <p>
          Check, in your own browser, that a record is sealed in this ledger and that the ledger cannot quietly change it any more. The
          checks run on your device with the published protocol; the blockchain is asked directly, not through this portal.
        </p>
        <p className="text-base">
          A signed record you paste never leaves your browser: only its fingerprint (entry hash) is sent, to fetch its proof.
        </p>
      </PageIntro>
      <Verifier
        defaultRpcUrl={chain.rpcUrl}
        rpcSuggestions={chain.rpcSuggestions}
        defaultRegistry={chain.registry}
        genesisRoot={ledger.genesisRoot}
        initialEntry={initialEntry}
      />
      <TrustNote title="What these checks prove">
        <p>
          <strong>The entry is inside the block:</strong> the proof’s few hashes, combined with the entry, must give exactly the block’s
          root. Forging such a proof would mean breaking the keccak-256 hash function.
        </p>
        <p>
          <strong>The block is on the blockchain:</strong> the registry contract holds the block’s root and refuses to overwrite it, so
          the ledger cannot later show a different version of this block.
        </p>
        <p>
          <strong>The signature is genuine</strong> (when you paste the record): it verifies under the signer’s public key from the{" "}
          <Link className="link" href="/signers">
            signer directory
          </Link>
          . <Link className="link" href="/about">How it works</Link> explains the limits of these guarantees.
        </p>
      </TrustNote>
    </>
  );
}
