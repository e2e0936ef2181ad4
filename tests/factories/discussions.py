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
    """The role matrix's thread, started by a member who is none of its roles."""
    from msknet.discussions.actions import start_thread

    thread = start_thread(
        network=network, by=colleague, title="Matrix discussion", body="Hello"
    )
    return {"disc-thread": thread.pk, "disc-post": thread.posts.get().pk}
