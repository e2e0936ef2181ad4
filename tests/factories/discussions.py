import factory
from factory.django import DjangoModelFactory

from msknet.discussions.models import Post, Thread

from .networks import NetworkFactory
from .users import UserFactory


class ThreadFactory(DjangoModelFactory):
    class Meta:
        model = Thread

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Discussion {n}")
    author = factory.SubFactory(UserFactory)


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = "Has anyone tried group education sessions for knee pain?"


def discussions_objects(network, users, colleague):
    """The role matrix's thread, in any network, started by `colleague` (its
    author, none of the network roles walked). When `users` has a member,
    they reply, so the author has a notification of it."""
    from msknet.communications.models import Kind, Notification
    from msknet.communications.notify import preference_token
    from msknet.discussions.actions import post_reply, start_thread

    thread = start_thread(
        network=network, by=colleague, title="Matrix discussion", body="Hello"
    )
    objects = {
        "disc-thread": thread.pk,
        "disc-post": thread.posts.get().pk,
        # The link in the author's emails about the discussion.
        "notification-token": preference_token(colleague, Kind.DISCUSSION_REPLY),
    }
    if users.get("member"):
        post_reply(thread=thread, by=users["member"], body="Thank you")
        objects["disc-notification"] = Notification.objects.get(
            user=colleague, kind=Kind.DISCUSSION_REPLY
        ).pk
    return objects
