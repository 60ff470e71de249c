"""A small HTML tree for page tests: find elements, read attributes, see what encloses a text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Elements named ``tag`` whose attributes include ``attrs`` (``class_`` for class)."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(
                (v in (node.attrs.get("class") or "").split())
                if k == "class"
                else node.attrs.get(k) == v
                for k, v in wanted.items()
            ):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}> found"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text_nodes(self):
        """(text, the element holding it) for every piece of text below this element."""
        for child in self.children:
            if isinstance(child, str):
                yield child, self
            else:
                yield from child.text_nodes()


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def isolated(node: Node) -> bool:
    """True when ``node`` or an element around it keeps its own direction (bdi or dir=auto),
    within the nearest block that is not the page itself."""
    for element in [node, *node.ancestors()]:
        if element.tag == "bdi" or element.attrs.get("dir") in ("auto", "ltr"):
            return True
        if element.tag in ("body", "main", "html"):
            return False
    return False


def unisolated_texts(root: Node, texts: list[str]) -> list[str]:
    """Where a user-written text of ``texts`` shows on the page without direction isolation
    (``<title>``, ``<option>`` and ``<script>`` cannot hold markup and are left out)."""
    problems = []
    for piece, holder in root.text_nodes():
        if holder.tag in ("title", "option", "script", "style", "textarea"):
            continue
        for text in texts:
            if text in piece and not isolated(holder):
                trail = " > ".join(reversed([a.tag for a in [holder, *holder.ancestors()]][:5]))
                problems.append(f"{text!r} in {trail}")
    return problems
