// Worker thread for signManyRecords: signs n synthetic EdDSA records with node:crypto.
import { createPrivateKey, randomUUID, sign } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";

const { privateJwk, kid, prevRoot, n } = workerData;
const key = createPrivateKey({ key: privateJwk, format: "jwk" });
const header = Buffer.from(JSON.stringify({ alg: "EdDSA", kid })).toString("base64url");
const out = [];
for (let i = 0; i < n; i++) {
  const payload = {
    id: randomUUID(),
    kind: ["prescription", "treatment", "reimbursement.claim"][i % 3],
    prevRoot,
    createdAt: new Date().toISOString(),
    body: { synthetic: true, patient: `bench-patient-${i % 9973}`, item: `synthetic benchmark record ${i}`, amount: (i * 37) % 1000 },
  };
  const signingInput = `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  out.push(`${signingInput}.${sign(null, Buffer.from(signingInput), key).toString("base64url")}`);
}
parentPort.postMessage(out);
