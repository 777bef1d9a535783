import type { PlatformModule } from '../module';
import { Person } from './person.entity';
import { RoleAssignment } from './role-assignment.entity';
import { PeopleResolver, RoleAssignmentsResolver } from './people.resolver';
import { peoplePermissions } from './people.rules';
import { findPerson } from './people.service';
import { findRoleAssignment } from './role-assignments.service';

export { Person, EmploymentType } from './person.entity';
export { PersonType } from './person.types';
export { personById } from './people.loaders';
export { personIdsByWorkEmail } from './people.service';
export { PeopleAuditAction } from './audit-actions';

export const peopleModule: PlatformModule = {
  name: 'people',
  entities: [Person, RoleAssignment],
  resolvers: [PeopleResolver, RoleAssignmentsResolver],
  permissions: peoplePermissions,
  nodeTypes: [
    { typeName: 'Person', entity: Person, load: findPerson },
    { typeName: 'RoleAssignment', entity: RoleAssignment, load: findRoleAssignment },
  ],
};
