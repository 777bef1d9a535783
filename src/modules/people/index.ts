import type { PlatformModule } from '../module';
import { Person } from './person.entity';
import { RoleAssignment } from './role-assignment.entity';
import { PeopleResolver } from './people.resolver';
import { peoplePermissions } from './people.rules';
import { findPerson } from './people.service';

export { Person, EmploymentType } from './person.entity';
export { PersonType } from './person.types';
export { personById } from './people.loaders';

export const peopleModule: PlatformModule = {
  name: 'people',
  entities: [Person, RoleAssignment],
  resolvers: [PeopleResolver],
  permissions: peoplePermissions,
  nodeTypes: [{ typeName: 'Person', entity: Person, load: findPerson }],
};
