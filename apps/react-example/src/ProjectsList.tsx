import { usePaymoQuery } from '@paymo/auth-react';
import { describeError } from './describeError.js';

/**
 * The signed-in user's Paymo projects and their tasks, read straight from Paymo through the server's
 * proxy (`/auth/paymo/projects`, allowed by the server): no route of our own, and no token here.
 */
export function ProjectsList() {
  const projects = usePaymoQuery('projects', { include: 'tasks' });
  return (
    <section className="card" aria-label="Paymo projects">
      <h2>Your Paymo projects</h2>
      {projects.isPending && <p role="status">Loading projects…</p>}
      {projects.error && (
        <p role="alert" className="error" data-testid="projects-error">
          {describeError(projects.error)}{' '}
          <button type="button" onClick={() => void projects.refetch()}>
            Try again
          </button>
        </p>
      )}
      {projects.data && projects.data.projects.length === 0 && <p>No projects yet.</p>}
      {projects.data && projects.data.projects.length > 0 && (
        <ul data-testid="projects-list">
          {projects.data.projects.map((project) => (
            <li key={project.id} data-testid="project">
              <strong data-testid="project-name">{project.name}</strong>
              {project.tasks && project.tasks.length > 0 && (
                <ul>
                  {project.tasks.map((task) => (
                    <li key={task.id} data-testid="task">
                      {task.name}
                      {task.complete ? <span className="muted"> · done</span> : null}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
