import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { PageIntro } from "@/components/ui/page-intro";

export const metadata: Metadata = {
  title: "How it works",
  description: "How Sealbook makes public health records tamper-evident, what it guarantees, and what it does not.",
};

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} id={id} className="mt-10 max-w-3xl scroll-mt-6">
      <h2 id={`${id}-heading`} className="text-2xl font-semibold">
        {title}
      </h2>
      <div className="mt-3 space-y-3 text-lg leading-relaxed text-slate-800">{children}</div>
    </section>
  );
}

const STEPS = [
  ["Signed", "A doctor, a pharmacy or an insurer signs the record with its private key. The signature proves who wrote it and that it was not changed since."],
  ["Accepted", "The ledger checks the signature against the public signer directory and gives back a signed receipt with a deadline for sealing."],
  ["Sealed", "Every few seconds, the ledger gathers the accepted records into a numbered block. The block’s root is one value computed from all their fingerprints, and from the root of the block before."],
  ["Anchored", "The root is written into a smart contract on a public blockchain. The contract only accepts the next block, built on the previous root, and never overwrites a root."],
] as const;

export default function AboutPage() {
  return (
    <>
      <PageIntro title="How Sealbook works">
        <p>
          Sealbook makes a register of public health records tamper-evident: once a record is in, no one, not even the people who run the
          ledger, can remove it, change it or back-date it without it showing. This page explains how, in plain words, and what it does
          not promise.
        </p>
      </PageIntro>

      <Section id="published" title="What is public, and what is not">
        <p>
          The records themselves (a prescription, a treatment, a claim) are <strong>never published</strong>. What is published is their{" "}
          <strong>fingerprint</strong>: a hash, a 64-character code computed from the record. The same record always gives the same
          fingerprint, any change gives a completely different one, and the fingerprint reveals nothing of the content.
        </p>
        <p>
          Also public: the list of blocks with their roots, the time each was sealed and anchored, how many records each holds, and the
          directory of signers and their public keys.
        </p>
      </Section>

      <Section id="life" title="The life of a record">
        <ol className="space-y-3">
          {STEPS.map(([title, text], i) => (
            <li key={title} className="flex gap-4 rounded-lg border border-slate-200 bg-white p-4">
              <span aria-hidden="true" className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-blue-800 font-bold text-white">
                {i + 1}
              </span>
              <p>
                <strong>{title}.</strong> {text}
              </p>
            </li>
          ))}
        </ol>
      </Section>

      <Section id="guarantees" title="What you can rely on">
        <ul className="list-disc space-y-2 pl-6">
          <li>
            <strong>A sealed record cannot be removed or changed</strong> without changing its block’s root, and that root is fixed on the
            blockchain.
          </li>
          <li>
            <strong>History cannot be rewritten.</strong> Every block builds on the previous root, and the contract accepts only the next
            block in line, so a past block cannot be replaced by another version.
          </li>
          <li>
            <strong>You need not trust this portal.</strong> The <Link className="link" href="/verify">verifier</Link> runs in your browser
            and asks the blockchain directly; you can point it at your own blockchain node.
          </li>
          <li>
            <strong>A dropped record leaves evidence.</strong> The signed receipt given at acceptance names a deadline; a receipt whose
            deadline has passed while its record is in no block proves the ledger broke its promise.
          </li>
        </ul>
      </Section>

      <Section id="limits" title="What it does not cover">
        <ul className="list-disc space-y-2 pl-6">
          <li>
            <strong>Whether a record is true.</strong> The ledger proves who signed a record and when it was sealed, not that its content
            is correct.
          </li>
          <li>
            <strong>Records that were never submitted.</strong> The ledger cannot show what was kept out of it. Receipts protect records
            that were submitted; nothing here can reveal records that never were.
          </li>
          <li>
            <strong>Who may sign.</strong> The operator publishes the signer directory. Compare the keys of the signers that matter to you
            with what those organisations publish themselves.
          </li>
          <li>
            <strong>Timing and volume.</strong> Fingerprints reveal nothing of the content, but how many records arrive and when is public.
          </li>
          <li>
            <strong>The software you run.</strong> The verifier page is served by this portal. If you do not want to trust even that, check
            by hand or with an independent tool, as below.
          </li>
          <li>
            <strong>A block not anchored yet.</strong> Between sealing and anchoring (usually minutes), a block is sealed by the ledger but
            not yet fixed on the blockchain.
          </li>
        </ul>
      </Section>

      <Section id="check-by-hand" title="Checking by hand">
        <p>For the technically minded, the whole protocol fits in a few lines (keccak-256 is Ethereum’s hash function):</p>
        <ul className="list-disc space-y-2 pl-6 text-base">
          <li>
            Entry: <code className="font-mono">entryHash = keccak256(signed record as text)</code>.
          </li>
          <li>
            Block root: an OpenZeppelin <code className="font-mono">StandardMerkleTree</code> over the block’s entry hashes, leaf encoding{" "}
            <code className="font-mono">bytes32</code>. Each leaf is <code className="font-mono">keccak256(keccak256(entryHash))</code>; each
            node hashes its two children, smaller first.
          </li>
          <li>
            Proof: fold the bundle’s <code className="font-mono">proof</code> hashes over the leaf; the result must equal the block root.
          </li>
          <li>
            Chain: call <code className="font-mono">rootOf(height)</code> on the registry contract named in the bundle; it must return the
            block root, and <code className="font-mono">rootOf(height − 1)</code> the block’s previous root.
          </li>
        </ul>
        <p>
          Every block’s entries can be downloaded from its page, every proof bundle from its entry’s page, and the whole API is described
          in the <Link className="link" href="/api">API documentation</Link>.
        </p>
      </Section>
    </>
  );
}
