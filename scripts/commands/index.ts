import type { Command } from "../cli-kit";
import { audit } from "./audit";
import { keygen } from "./keygen";
import { seal } from "./seal";
import { sign } from "./sign";
import { signerAdd, signerList, signerRevoke } from "./signer";
import { status } from "./status";

/** Every `sealbook` command, in the order `sealbook help` lists them. */
export const commands: Command[] = [keygen, signerAdd, signerRevoke, signerList, sign, seal, status, audit];
