package io.multikube.pipeline;

import java.util.List;
import java.util.Objects;

import io.multikube.auth.Identity;
import io.multikube.config.GroupPolicy;
import io.multikube.status.RouterException;

/** Step 2b: keep only the groups the policy lets through, and refuse a token that still carries too many. */
final class LimitGroups {
    private final GroupPolicy policy;

    LimitGroups(GroupPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    RoutedRequest apply(RoutedRequest request) {
        Identity identity = request.authenticated().identity();
        List<String> groups = policy.filter(identity.groups());
        if (groups.size() > policy.max()) {
            throw new RouterException.Forbidden("the token carries " + groups.size() + " groups (expected: at most "
                    + policy.max() + ", --max-impersonated-groups)");
        }
        if (groups.equals(identity.groups())) {
            return request;
        }
        Identity limited = identity.withGroups(groups);
        return new RoutedRequest(new AuthenticatedRequest(request.inbound(), limited), request.context(),
                request.clusterPath());
    }
}
