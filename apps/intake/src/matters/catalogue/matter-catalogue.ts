import { Injectable } from '@nestjs/common';
import type { MatterVersion } from '../matter-version';
import { MatterVersionsRepository, toMatterVersion } from './matter-versions.repository';

/**
 * The catalogue as the rest of intake reads it: the version of a matter now in force, or a given version (a running
 * case keeps the version it was accepted under). Exported by the matters module.
 */
@Injectable()
export class MatterCatalogue {
  constructor(private readonly versions: MatterVersionsRepository) {}

  /** The version in force: published, of an active matter. Null when the matter is unknown, retired or not yet published. */
  async published(code: string): Promise<MatterVersion | null> {
    const row = await this.versions.published(code);
    return row ? toMatterVersion(row) : null;
  }

  /** One version of a matter, whatever its state (a case reads the version it was accepted under). */
  async version(code: string, version: number): Promise<MatterVersion | null> {
    if (!Number.isSafeInteger(version) || version < 1) return null;
    const row = await this.versions.find(code, version);
    return row ? toMatterVersion(row) : null;
  }

  /** Every version in force, by code (secret matters included: filter before showing the public). */
  async allPublished(): Promise<MatterVersion[]> {
    return (await this.versions.allPublished()).map(toMatterVersion);
  }
}
