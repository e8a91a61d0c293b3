/**
 * Links and redirects that keep the reader's language: `<Link href="/blocks">` goes to
 * `/uk/blocks` on a Ukrainian page. Use these instead of next/link and next/navigation in the
 * public portal.
 */
import { createNavigation } from "next-intl/navigation";
import { routing } from "./routing";

export const { Link, redirect, usePathname, useRouter, getPathname } = createNavigation(routing);
