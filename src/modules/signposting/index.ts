export { SignpostingService, SignpostingCategory } from './signposting-service.entity';
export { visibleSignpostingServices } from './signposting.service';
