import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'gov:isPublic';
/** Marks an endpoint as deliberately unauthenticated (health, metrics, discovery, login). Checked by lint and guards. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
