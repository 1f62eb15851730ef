/**
 * Submission has no request body: the petition in the path and the caller's token say it all
 * (the count is taken by the service, never sent). It answers like every lifecycle command.
 */
export { LifecycleResponse as SubmitPetitionResponse, toLifecycleResponse } from '../../infrastructure/http/lifecycle-response.dto';
