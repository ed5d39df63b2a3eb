package dev.plinth.platform.tasks.workflow;

import java.util.List;

/**
 * A started workflow's ids: each is a run id ({@code GET /api/tasks/{id}}).
 *
 * @param id the chain's first task, or the group's (and a chord header's) group id
 * @param taskIds every task's id: a chain's steps in order, a group's members, a chord's header
 *     then its body
 */
public record WorkflowRun(String id, List<String> taskIds) {
  public WorkflowRun {
    taskIds = List.copyOf(taskIds);
  }

  /** The task whose result is the workflow's: a chain's last step, a chord's body. */
  public String last() {
    return taskIds.get(taskIds.size() - 1);
  }
}
