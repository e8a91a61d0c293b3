/**
 * @peculiar/x509, ready to use: it resolves its parts with tsyringe, which needs the Reflect
 * metadata API loaded before it. Import X.509 classes from here, never from the package directly.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
