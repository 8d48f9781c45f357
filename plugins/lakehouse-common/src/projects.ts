/**
 * Events topic of a project pushed by `lakehouse:publish:local`: the local
 * projects catalog provider reads the new repository at once.
 *
 * @public
 */
export const PROJECT_PUBLISHED_TOPIC = 'lakeport.projects.published';
