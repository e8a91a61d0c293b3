import type { Command } from "../cli-kit";
import { adminCreate, adminDisable, adminList } from "./admin";
import { anchor } from "./anchor";
import { audit } from "./audit";
import { backup, repair, restore } from "./backup";
import { chainStatus } from "./chain-status";
import { deploy } from "./deploy";
import { keygen } from "./keygen";
import { monitor } from "./monitor";
import { seal } from "./seal";
import { sign } from "./sign";
import { signerAdd, signerList, signerRevoke } from "./signer";
import { status } from "./status";
import { verify } from "./verify";
import { worker } from "./worker";

/** Every `sealbook` command, in the order `sealbook help` lists them. */
export const commands: Command[] = [keygen, signerAdd, signerRevoke, signerList, sign, seal, status, audit, backup, restore, repair, anchor, worker, chainStatus, deploy, verify, monitor, adminCreate, adminList, adminDisable];
