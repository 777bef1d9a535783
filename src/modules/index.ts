import type { PlatformModule } from './module';
import { organisationsModule } from './organisations';
import { peopleModule } from './people';
import { schemesModule } from './schemes';
import { viewerModule } from './viewer';

export type { PlatformModule } from './module';

/** Every domain module of the platform. A new domain is added here and nowhere else. */
export const platformModules: PlatformModule[] = [viewerModule, organisationsModule, peopleModule, schemesModule];

export const entities = platformModules.flatMap((module) => module.entities);
