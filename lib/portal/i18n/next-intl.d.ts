// next-intl's hooks and helpers return the portal's own language type ("uk" | "en"), not any string.
import type { routing } from "./routing";

declare module "next-intl" {
  interface AppConfig {
    Locale: (typeof routing.locales)[number];
  }
}
