# id: https://w3id.org/bioimage-kg/schema
# description: The model behind the bioimage knowledge-graph service: REMBI modules (Study, Study Component, Biosample, Specimen, Image Acquisition, Image Data, Analysed Data) as far as SSBD, IDR and the BioImage Archive need them, aligned with the SSBD ontology, OME, schema.org and DCAT. This file is the single source of truth: the OWL, SHACL, JSON-LD context and Python classes are generated from it by `make generate`. Record identifiers are relative paths (for example `datasets/ssbd-2-wt_N2_030303_01`) that the service resolves against its configurable base IRI.
# license: https://creativecommons.org/licenses/by/4.0/

import dataclasses
import re
from dataclasses import dataclass
from datetime import (
    date,
    datetime,
    time
)
from typing import (
    Any,
    ClassVar,
    Dict,
    List,
    Optional,
    Union
)

from jsonasobj2 import (
    JsonObj,
    as_dict
)
from linkml_runtime.linkml_model.meta import (
    EnumDefinition,
    PermissibleValue,
    PvFormulaOptions
)
from linkml_runtime.utils.curienamespace import CurieNamespace
from linkml_runtime.utils.enumerations import EnumDefinitionImpl
from linkml_runtime.utils.formatutils import (
    camelcase,
    sfx,
    underscore
)
from linkml_runtime.utils.metamodelcore import (
    bnode,
    empty_dict,
    empty_list
)
from linkml_runtime.utils.slot import Slot
from linkml_runtime.utils.yamlutils import (
    YAMLRoot,
    extended_float,
    extended_int,
    extended_str
)
from rdflib import (
    Namespace,
    URIRef
)

from linkml_runtime.linkml_model.types import Boolean, Date, Datetime, Decimal, Integer, String, Uri, Uriorcurie
from linkml_runtime.utils.metamodelcore import Bool, Decimal, URI, URIorCURIE, XSDDate, XSDDateTime

metamodel_version = "1.12.0"
version = "0.1.0"

# Namespaces
BIA = CurieNamespace('bia', 'http://bia/')
DCAT = CurieNamespace('dcat', 'http://www.w3.org/ns/dcat#')
DCTERMS = CurieNamespace('dcterms', 'http://purl.org/dc/terms/')
FOAF = CurieNamespace('foaf', 'http://xmlns.com/foaf/0.1/')
KG = CurieNamespace('kg', 'https://w3id.org/bioimage-kg/vocab/')
LINKML = CurieNamespace('linkml', 'https://w3id.org/linkml/')
OBO = CurieNamespace('obo', 'http://purl.obolibrary.org/obo/')
OME = CurieNamespace('ome', 'http://www.openmicroscopy.org/Schemas/OME/2016-06#')
PROV = CurieNamespace('prov', 'http://www.w3.org/ns/prov#')
RDF = CurieNamespace('rdf', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#')
RDFS = CurieNamespace('rdfs', 'http://www.w3.org/2000/01/rdf-schema#')
SCHEMA = CurieNamespace('schema', 'http://schema.org/')
SPDX = CurieNamespace('spdx', 'http://spdx.org/rdf/terms#')
SSBD = CurieNamespace('ssbd', 'http://ssbd.riken.jp/ontology/')
XSD = CurieNamespace('xsd', 'http://www.w3.org/2001/XMLSchema#')
DEFAULT_ = KG


# Types
class JsonText(String):
    """ A JSON document as an RDF literal (rdf:JSON), for small numeric series. """
    type_class_uri = RDF["JSON"]
    type_class_curie = "rdf:JSON"
    type_name = "json_text"
    type_model_uri = KG.JsonText


# Class references
class RecordId(extended_str):
    pass


class ProjectId(RecordId):
    pass


class DatasetId(RecordId):
    pass


class BiosampleId(RecordId):
    pass


class GeneticInformationId(RecordId):
    pass


class ReagentId(RecordId):
    pass


class SpecimenId(RecordId):
    pass


class ImageAcquisitionId(RecordId):
    pass


class InstrumentId(RecordId):
    pass


class ImageDataId(RecordId):
    pass


class QuantityId(RecordId):
    pass


class AnalysedDataId(RecordId):
    pass


class ProtocolId(RecordId):
    pass


class PhenotypeId(RecordId):
    pass


class ImageGroupId(RecordId):
    pass


class DataFileId(RecordId):
    pass


class PersonId(RecordId):
    pass


class OrganizationId(RecordId):
    pass


class PublicationId(RecordId):
    pass


class LicenseId(RecordId):
    pass


class GrantId(RecordId):
    pass


class TombstoneId(extended_str):
    pass


class LinkCheckId(extended_str):
    pass


@dataclass(repr=False)
class Record(YAMLRoot):
    """
    Anything with an identifier in the graph.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Record"]
    class_class_curie: ClassVar[str] = "kg:Record"
    class_name: ClassVar[str] = "Record"
    class_model_uri: ClassVar[URIRef] = KG.Record

    id: Union[str, RecordId] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, RecordId):
            self.id = RecordId(self.id)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Project(Record):
    """
    A study (REMBI Study), the unit of submission; one named graph each.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Project"]
    class_class_curie: ClassVar[str] = "kg:Project"
    class_name: ClassVar[str] = "Project"
    class_model_uri: ClassVar[URIRef] = KG.Project

    id: Union[str, ProjectId] = None
    title: str = None
    description: Optional[str] = None
    accession: Optional[str] = None
    keywords: Optional[Union[str, list[str]]] = empty_list()
    license: Optional[Union[str, LicenseId]] = None
    landing_page: Optional[Union[str, URI]] = None
    source_repository: Optional[str] = None
    release_date: Optional[Union[str, XSDDate]] = None
    submission_date: Optional[Union[str, XSDDate]] = None
    update_date: Optional[Union[str, XSDDate]] = None
    tier: Optional[Union[str, "Tier"]] = None
    data_doi: Optional[Union[str, URI]] = None
    project_type: Optional[str] = None
    method_summary: Optional[str] = None
    contacts: Optional[Union[dict[Union[str, PersonId], Union[dict, "Person"]], list[Union[dict, "Person"]]]] = empty_dict()
    contributors: Optional[Union[dict[Union[str, PersonId], Union[dict, "Person"]], list[Union[dict, "Person"]]]] = empty_dict()
    publications: Optional[Union[dict[Union[str, PublicationId], Union[dict, "Publication"]], list[Union[dict, "Publication"]]]] = empty_dict()
    grants: Optional[Union[dict[Union[str, GrantId], Union[dict, "Grant"]], list[Union[dict, "Grant"]]]] = empty_dict()
    datasets: Optional[Union[dict[Union[str, DatasetId], Union[dict, "Dataset"]], list[Union[dict, "Dataset"]]]] = empty_dict()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ProjectId):
            self.id = ProjectId(self.id)

        if self._is_empty(self.title):
            self.MissingRequiredField("title")
        if not isinstance(self.title, str):
            self.title = str(self.title)

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        if self.accession is not None and not isinstance(self.accession, str):
            self.accession = str(self.accession)

        if not isinstance(self.keywords, list):
            self.keywords = [self.keywords] if self.keywords is not None else []
        self.keywords = [v if isinstance(v, str) else str(v) for v in self.keywords]

        if self.license is not None and not isinstance(self.license, LicenseId):
            self.license = LicenseId(self.license)

        if self.landing_page is not None and not isinstance(self.landing_page, URI):
            self.landing_page = URI(self.landing_page)

        if self.source_repository is not None and not isinstance(self.source_repository, str):
            self.source_repository = str(self.source_repository)

        if self.release_date is not None and not isinstance(self.release_date, XSDDate):
            self.release_date = XSDDate(self.release_date)

        if self.submission_date is not None and not isinstance(self.submission_date, XSDDate):
            self.submission_date = XSDDate(self.submission_date)

        if self.update_date is not None and not isinstance(self.update_date, XSDDate):
            self.update_date = XSDDate(self.update_date)

        if self.tier is not None and not isinstance(self.tier, Tier):
            self.tier = Tier(self.tier)

        if self.data_doi is not None and not isinstance(self.data_doi, URI):
            self.data_doi = URI(self.data_doi)

        if self.project_type is not None and not isinstance(self.project_type, str):
            self.project_type = str(self.project_type)

        if self.method_summary is not None and not isinstance(self.method_summary, str):
            self.method_summary = str(self.method_summary)

        self._normalize_inlined_as_list(slot_name="contacts", slot_type=Person, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="contributors", slot_type=Person, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="publications", slot_type=Publication, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="grants", slot_type=Grant, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="datasets", slot_type=Dataset, key_name="id", keyed=True)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Dataset(Record):
    """
    A study component (REMBI Study Component) - one set of images or quantitative data.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Dataset"]
    class_class_curie: ClassVar[str] = "kg:Dataset"
    class_name: ClassVar[str] = "Dataset"
    class_model_uri: ClassVar[URIRef] = KG.Dataset

    id: Union[str, DatasetId] = None
    title: str = None
    description: Optional[str] = None
    accession: Optional[str] = None
    keywords: Optional[Union[str, list[str]]] = empty_list()
    license: Optional[Union[str, LicenseId]] = None
    landing_page: Optional[Union[str, URI]] = None
    release_date: Optional[Union[str, XSDDate]] = None
    data_doi: Optional[Union[str, URI]] = None
    image_count: Optional[int] = None
    component_type: Optional[Union[str, "ComponentType"]] = None
    protocols: Optional[Union[dict[Union[str, ProtocolId], Union[dict, "Protocol"]], list[Union[dict, "Protocol"]]]] = empty_dict()
    phenotypes: Optional[Union[dict[Union[str, PhenotypeId], Union[dict, "Phenotype"]], list[Union[dict, "Phenotype"]]]] = empty_dict()
    image_groups: Optional[Union[dict[Union[str, ImageGroupId], Union[dict, "ImageGroup"]], list[Union[dict, "ImageGroup"]]]] = empty_dict()
    kind: Optional[Union[str, "DataKind"]] = None
    based_on: Optional[Union[str, "BasedOn"]] = None
    datatype: Optional[str] = None
    figure: Optional[str] = None
    folder_name: Optional[str] = None
    file_formats: Optional[Union[str, list[str]]] = empty_list()
    biosamples: Optional[Union[dict[Union[str, BiosampleId], Union[dict, "Biosample"]], list[Union[dict, "Biosample"]]]] = empty_dict()
    specimens: Optional[Union[dict[Union[str, SpecimenId], Union[dict, "Specimen"]], list[Union[dict, "Specimen"]]]] = empty_dict()
    image_acquisitions: Optional[Union[dict[Union[str, ImageAcquisitionId], Union[dict, "ImageAcquisition"]], list[Union[dict, "ImageAcquisition"]]]] = empty_dict()
    image_data: Optional[Union[dict[Union[str, ImageDataId], Union[dict, "ImageData"]], list[Union[dict, "ImageData"]]]] = empty_dict()
    analysed_data: Optional[Union[dict[Union[str, AnalysedDataId], Union[dict, "AnalysedData"]], list[Union[dict, "AnalysedData"]]]] = empty_dict()
    files: Optional[Union[dict[Union[str, DataFileId], Union[dict, "DataFile"]], list[Union[dict, "DataFile"]]]] = empty_dict()
    external_links: Optional[Union[Union[str, URI], list[Union[str, URI]]]] = empty_list()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, DatasetId):
            self.id = DatasetId(self.id)

        if self._is_empty(self.title):
            self.MissingRequiredField("title")
        if not isinstance(self.title, str):
            self.title = str(self.title)

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        if self.accession is not None and not isinstance(self.accession, str):
            self.accession = str(self.accession)

        if not isinstance(self.keywords, list):
            self.keywords = [self.keywords] if self.keywords is not None else []
        self.keywords = [v if isinstance(v, str) else str(v) for v in self.keywords]

        if self.license is not None and not isinstance(self.license, LicenseId):
            self.license = LicenseId(self.license)

        if self.landing_page is not None and not isinstance(self.landing_page, URI):
            self.landing_page = URI(self.landing_page)

        if self.release_date is not None and not isinstance(self.release_date, XSDDate):
            self.release_date = XSDDate(self.release_date)

        if self.data_doi is not None and not isinstance(self.data_doi, URI):
            self.data_doi = URI(self.data_doi)

        if self.image_count is not None and not isinstance(self.image_count, int):
            self.image_count = int(self.image_count)

        if self.component_type is not None and not isinstance(self.component_type, ComponentType):
            self.component_type = ComponentType(self.component_type)

        self._normalize_inlined_as_list(slot_name="protocols", slot_type=Protocol, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="phenotypes", slot_type=Phenotype, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="image_groups", slot_type=ImageGroup, key_name="id", keyed=True)

        if self.kind is not None and not isinstance(self.kind, DataKind):
            self.kind = DataKind(self.kind)

        if self.based_on is not None and not isinstance(self.based_on, BasedOn):
            self.based_on = BasedOn(self.based_on)

        if self.datatype is not None and not isinstance(self.datatype, str):
            self.datatype = str(self.datatype)

        if self.figure is not None and not isinstance(self.figure, str):
            self.figure = str(self.figure)

        if self.folder_name is not None and not isinstance(self.folder_name, str):
            self.folder_name = str(self.folder_name)

        if not isinstance(self.file_formats, list):
            self.file_formats = [self.file_formats] if self.file_formats is not None else []
        self.file_formats = [v if isinstance(v, str) else str(v) for v in self.file_formats]

        self._normalize_inlined_as_list(slot_name="biosamples", slot_type=Biosample, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="specimens", slot_type=Specimen, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="image_acquisitions", slot_type=ImageAcquisition, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="image_data", slot_type=ImageData, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="analysed_data", slot_type=AnalysedData, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="files", slot_type=DataFile, key_name="id", keyed=True)

        if not isinstance(self.external_links, list):
            self.external_links = [self.external_links] if self.external_links is not None else []
        self.external_links = [v if isinstance(v, URI) else URI(v) for v in self.external_links]

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Biosample(Record):
    """
    What was imaged (REMBI Biosample).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Biosample"]
    class_class_curie: ClassVar[str] = "kg:Biosample"
    class_name: ClassVar[str] = "Biosample"
    class_model_uri: ClassVar[URIRef] = KG.Biosample

    id: Union[str, BiosampleId] = None
    description: Optional[str] = None
    organisms: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    strains: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    strain_names: Optional[Union[str, list[str]]] = empty_list()
    cell_lines: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    cell_types: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    anatomical_entities: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    go_molecular_functions: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    go_biological_processes: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    go_cellular_components: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    mesh_terms: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    intrinsic_variables: Optional[Union[str, list[str]]] = empty_list()
    extrinsic_variables: Optional[Union[str, list[str]]] = empty_list()
    genetic_information: Optional[Union[dict[Union[str, GeneticInformationId], Union[dict, "GeneticInformation"]], list[Union[dict, "GeneticInformation"]]]] = empty_dict()
    reagents: Optional[Union[dict[Union[str, ReagentId], Union[dict, "Reagent"]], list[Union[dict, "Reagent"]]]] = empty_dict()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, BiosampleId):
            self.id = BiosampleId(self.id)

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        if not isinstance(self.organisms, list):
            self.organisms = [self.organisms] if self.organisms is not None else []
        self.organisms = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.organisms]

        if not isinstance(self.strains, list):
            self.strains = [self.strains] if self.strains is not None else []
        self.strains = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.strains]

        if not isinstance(self.strain_names, list):
            self.strain_names = [self.strain_names] if self.strain_names is not None else []
        self.strain_names = [v if isinstance(v, str) else str(v) for v in self.strain_names]

        if not isinstance(self.cell_lines, list):
            self.cell_lines = [self.cell_lines] if self.cell_lines is not None else []
        self.cell_lines = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.cell_lines]

        if not isinstance(self.cell_types, list):
            self.cell_types = [self.cell_types] if self.cell_types is not None else []
        self.cell_types = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.cell_types]

        if not isinstance(self.anatomical_entities, list):
            self.anatomical_entities = [self.anatomical_entities] if self.anatomical_entities is not None else []
        self.anatomical_entities = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.anatomical_entities]

        if not isinstance(self.go_molecular_functions, list):
            self.go_molecular_functions = [self.go_molecular_functions] if self.go_molecular_functions is not None else []
        self.go_molecular_functions = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.go_molecular_functions]

        if not isinstance(self.go_biological_processes, list):
            self.go_biological_processes = [self.go_biological_processes] if self.go_biological_processes is not None else []
        self.go_biological_processes = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.go_biological_processes]

        if not isinstance(self.go_cellular_components, list):
            self.go_cellular_components = [self.go_cellular_components] if self.go_cellular_components is not None else []
        self.go_cellular_components = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.go_cellular_components]

        if not isinstance(self.mesh_terms, list):
            self.mesh_terms = [self.mesh_terms] if self.mesh_terms is not None else []
        self.mesh_terms = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.mesh_terms]

        if not isinstance(self.intrinsic_variables, list):
            self.intrinsic_variables = [self.intrinsic_variables] if self.intrinsic_variables is not None else []
        self.intrinsic_variables = [v if isinstance(v, str) else str(v) for v in self.intrinsic_variables]

        if not isinstance(self.extrinsic_variables, list):
            self.extrinsic_variables = [self.extrinsic_variables] if self.extrinsic_variables is not None else []
        self.extrinsic_variables = [v if isinstance(v, str) else str(v) for v in self.extrinsic_variables]

        self._normalize_inlined_as_list(slot_name="genetic_information", slot_type=GeneticInformation, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="reagents", slot_type=Reagent, key_name="id", keyed=True)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class GeneticInformation(Record):
    """
    Genotype of the biosample (genes, proteins, tags) - REMBI intrinsic variable.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["GeneticInformation"]
    class_class_curie: ClassVar[str] = "kg:GeneticInformation"
    class_name: ClassVar[str] = "GeneticInformation"
    class_model_uri: ClassVar[URIRef] = KG.GeneticInformation

    id: Union[str, GeneticInformationId] = None
    gene_names: Optional[Union[str, list[str]]] = empty_list()
    protein_names: Optional[Union[str, list[str]]] = empty_list()
    tags: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    tag_names: Optional[Union[str, list[str]]] = empty_list()
    method_name: Optional[str] = None
    method: Optional[Union[str, URIorCURIE]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, GeneticInformationId):
            self.id = GeneticInformationId(self.id)

        if not isinstance(self.gene_names, list):
            self.gene_names = [self.gene_names] if self.gene_names is not None else []
        self.gene_names = [v if isinstance(v, str) else str(v) for v in self.gene_names]

        if not isinstance(self.protein_names, list):
            self.protein_names = [self.protein_names] if self.protein_names is not None else []
        self.protein_names = [v if isinstance(v, str) else str(v) for v in self.protein_names]

        if not isinstance(self.tags, list):
            self.tags = [self.tags] if self.tags is not None else []
        self.tags = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.tags]

        if not isinstance(self.tag_names, list):
            self.tag_names = [self.tag_names] if self.tag_names is not None else []
        self.tag_names = [v if isinstance(v, str) else str(v) for v in self.tag_names]

        if self.method_name is not None and not isinstance(self.method_name, str):
            self.method_name = str(self.method_name)

        if self.method is not None and not isinstance(self.method, URIorCURIE):
            self.method = URIorCURIE(self.method)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Reagent(Record):
    """
    A reagent applied to the biosample - REMBI extrinsic variable.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Reagent"]
    class_class_curie: ClassVar[str] = "kg:Reagent"
    class_name: ClassVar[str] = "Reagent"
    class_model_uri: ClassVar[URIRef] = KG.Reagent

    id: Union[str, ReagentId] = None
    name: Optional[str] = None
    term: Optional[Union[str, URIorCURIE]] = None
    concentration: Optional[str] = None
    concentration_unit: Optional[Union[str, URIorCURIE]] = None
    fold_dilution: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ReagentId):
            self.id = ReagentId(self.id)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        if self.term is not None and not isinstance(self.term, URIorCURIE):
            self.term = URIorCURIE(self.term)

        if self.concentration is not None and not isinstance(self.concentration, str):
            self.concentration = str(self.concentration)

        if self.concentration_unit is not None and not isinstance(self.concentration_unit, URIorCURIE):
            self.concentration_unit = URIorCURIE(self.concentration_unit)

        if self.fold_dilution is not None and not isinstance(self.fold_dilution, str):
            self.fold_dilution = str(self.fold_dilution)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Specimen(Record):
    """
    How the biosample was prepared for imaging (REMBI Specimen).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Specimen"]
    class_class_curie: ClassVar[str] = "kg:Specimen"
    class_name: ClassVar[str] = "Specimen"
    class_model_uri: ClassVar[URIRef] = KG.Specimen

    id: Union[str, SpecimenId] = None
    description: Optional[str] = None
    preparation_method: Optional[str] = None
    signal_contrast_mechanism: Optional[str] = None
    channel_content: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, SpecimenId):
            self.id = SpecimenId(self.id)

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        if self.preparation_method is not None and not isinstance(self.preparation_method, str):
            self.preparation_method = str(self.preparation_method)

        if self.signal_contrast_mechanism is not None and not isinstance(self.signal_contrast_mechanism, str):
            self.signal_contrast_mechanism = str(self.signal_contrast_mechanism)

        if self.channel_content is not None and not isinstance(self.channel_content, str):
            self.channel_content = str(self.channel_content)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ImageAcquisition(Record):
    """
    How the images were taken (REMBI Image Acquisition).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["ImageAcquisition"]
    class_class_curie: ClassVar[str] = "kg:ImageAcquisition"
    class_name: ClassVar[str] = "ImageAcquisition"
    class_model_uri: ClassVar[URIRef] = KG.ImageAcquisition

    id: Union[str, ImageAcquisitionId] = None
    imaging_methods: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    detection_methods: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    illumination_methods: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    contrast_methods: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    resolution_methods: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    visualization_methods: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    imaging_method_names: Optional[Union[str, list[str]]] = empty_list()
    experiment_types: Optional[Union[str, list[str]]] = empty_list()
    mesh_terms: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    mesh_term_names: Optional[Union[str, list[str]]] = empty_list()
    instrument: Optional[Union[dict, "Instrument"]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ImageAcquisitionId):
            self.id = ImageAcquisitionId(self.id)

        if not isinstance(self.imaging_methods, list):
            self.imaging_methods = [self.imaging_methods] if self.imaging_methods is not None else []
        self.imaging_methods = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.imaging_methods]

        if not isinstance(self.detection_methods, list):
            self.detection_methods = [self.detection_methods] if self.detection_methods is not None else []
        self.detection_methods = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.detection_methods]

        if not isinstance(self.illumination_methods, list):
            self.illumination_methods = [self.illumination_methods] if self.illumination_methods is not None else []
        self.illumination_methods = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.illumination_methods]

        if not isinstance(self.contrast_methods, list):
            self.contrast_methods = [self.contrast_methods] if self.contrast_methods is not None else []
        self.contrast_methods = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.contrast_methods]

        if not isinstance(self.resolution_methods, list):
            self.resolution_methods = [self.resolution_methods] if self.resolution_methods is not None else []
        self.resolution_methods = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.resolution_methods]

        if not isinstance(self.visualization_methods, list):
            self.visualization_methods = [self.visualization_methods] if self.visualization_methods is not None else []
        self.visualization_methods = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.visualization_methods]

        if not isinstance(self.imaging_method_names, list):
            self.imaging_method_names = [self.imaging_method_names] if self.imaging_method_names is not None else []
        self.imaging_method_names = [v if isinstance(v, str) else str(v) for v in self.imaging_method_names]

        if not isinstance(self.experiment_types, list):
            self.experiment_types = [self.experiment_types] if self.experiment_types is not None else []
        self.experiment_types = [v if isinstance(v, str) else str(v) for v in self.experiment_types]

        if not isinstance(self.mesh_terms, list):
            self.mesh_terms = [self.mesh_terms] if self.mesh_terms is not None else []
        self.mesh_terms = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.mesh_terms]

        if not isinstance(self.mesh_term_names, list):
            self.mesh_term_names = [self.mesh_term_names] if self.mesh_term_names is not None else []
        self.mesh_term_names = [v if isinstance(v, str) else str(v) for v in self.mesh_term_names]

        if self.instrument is not None and not isinstance(self.instrument, Instrument):
            self.instrument = Instrument(**as_dict(self.instrument))

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Instrument(Record):
    """
    The microscope and its parts (OME Instrument).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Instrument"]
    class_class_curie: ClassVar[str] = "kg:Instrument"
    class_name: ClassVar[str] = "Instrument"
    class_model_uri: ClassVar[URIRef] = KG.Instrument

    id: Union[str, InstrumentId] = None
    microscope: Optional[str] = None
    objective: Optional[str] = None
    detector: Optional[str] = None
    light_source: Optional[str] = None
    module: Optional[str] = None
    filter_set: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, InstrumentId):
            self.id = InstrumentId(self.id)

        if self.microscope is not None and not isinstance(self.microscope, str):
            self.microscope = str(self.microscope)

        if self.objective is not None and not isinstance(self.objective, str):
            self.objective = str(self.objective)

        if self.detector is not None and not isinstance(self.detector, str):
            self.detector = str(self.detector)

        if self.light_source is not None and not isinstance(self.light_source, str):
            self.light_source = str(self.light_source)

        if self.module is not None and not isinstance(self.module, str):
            self.module = str(self.module)

        if self.filter_set is not None and not isinstance(self.filter_set, str):
            self.filter_set = str(self.filter_set)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ImageData(Record):
    """
    What the images are like (REMBI Image Data) - dimensions, scales, format, viewers.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["ImageData"]
    class_class_curie: ClassVar[str] = "kg:ImageData"
    class_name: ClassVar[str] = "ImageData"
    class_model_uri: ClassVar[URIRef] = KG.ImageData

    id: Union[str, ImageDataId] = None
    dimensions: Optional[str] = None
    size_x: Optional[int] = None
    size_y: Optional[int] = None
    size_z: Optional[int] = None
    size_c: Optional[int] = None
    size_t: Optional[int] = None
    axes: Optional[str] = None
    physical_size_x: Optional[Union[dict, "Quantity"]] = None
    physical_size_y: Optional[Union[dict, "Quantity"]] = None
    physical_size_z: Optional[Union[dict, "Quantity"]] = None
    time_interval: Optional[Union[dict, "Quantity"]] = None
    file_format: Optional[str] = None
    ome_zarr_url: Optional[Union[str, URI]] = None
    viewer_url: Optional[Union[str, URI]] = None
    thumbnail_url: Optional[Union[str, URI]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ImageDataId):
            self.id = ImageDataId(self.id)

        if self.dimensions is not None and not isinstance(self.dimensions, str):
            self.dimensions = str(self.dimensions)

        if self.size_x is not None and not isinstance(self.size_x, int):
            self.size_x = int(self.size_x)

        if self.size_y is not None and not isinstance(self.size_y, int):
            self.size_y = int(self.size_y)

        if self.size_z is not None and not isinstance(self.size_z, int):
            self.size_z = int(self.size_z)

        if self.size_c is not None and not isinstance(self.size_c, int):
            self.size_c = int(self.size_c)

        if self.size_t is not None and not isinstance(self.size_t, int):
            self.size_t = int(self.size_t)

        if self.axes is not None and not isinstance(self.axes, str):
            self.axes = str(self.axes)

        if self.physical_size_x is not None and not isinstance(self.physical_size_x, Quantity):
            self.physical_size_x = Quantity(**as_dict(self.physical_size_x))

        if self.physical_size_y is not None and not isinstance(self.physical_size_y, Quantity):
            self.physical_size_y = Quantity(**as_dict(self.physical_size_y))

        if self.physical_size_z is not None and not isinstance(self.physical_size_z, Quantity):
            self.physical_size_z = Quantity(**as_dict(self.physical_size_z))

        if self.time_interval is not None and not isinstance(self.time_interval, Quantity):
            self.time_interval = Quantity(**as_dict(self.time_interval))

        if self.file_format is not None and not isinstance(self.file_format, str):
            self.file_format = str(self.file_format)

        if self.ome_zarr_url is not None and not isinstance(self.ome_zarr_url, URI):
            self.ome_zarr_url = URI(self.ome_zarr_url)

        if self.viewer_url is not None and not isinstance(self.viewer_url, URI):
            self.viewer_url = URI(self.viewer_url)

        if self.thumbnail_url is not None and not isinstance(self.thumbnail_url, URI):
            self.thumbnail_url = URI(self.thumbnail_url)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Quantity(Record):
    """
    A number with a unit (physical pixel size, time interval).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Quantity"]
    class_class_curie: ClassVar[str] = "kg:Quantity"
    class_name: ClassVar[str] = "Quantity"
    class_model_uri: ClassVar[URIRef] = KG.Quantity

    id: Union[str, QuantityId] = None
    value: Decimal = None
    unit: Optional[Union[str, URIorCURIE]] = None
    unit_label: Optional[str] = None
    source_text: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, QuantityId):
            self.id = QuantityId(self.id)

        if self._is_empty(self.value):
            self.MissingRequiredField("value")
        if not isinstance(self.value, Decimal):
            self.value = Decimal(self.value)

        if self.unit is not None and not isinstance(self.unit, URIorCURIE):
            self.unit = URIorCURIE(self.unit)

        if self.unit_label is not None and not isinstance(self.unit_label, str):
            self.unit_label = str(self.unit_label)

        if self.source_text is not None and not isinstance(self.source_text, str):
            self.source_text = str(self.source_text)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class AnalysedData(Record):
    """
    Quantitative data derived from images (REMBI Analysed Data), such as BD5/BDML.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["AnalysedData"]
    class_class_curie: ClassVar[str] = "kg:AnalysedData"
    class_name: ClassVar[str] = "AnalysedData"
    class_model_uri: ClassVar[URIRef] = KG.AnalysedData

    id: Union[str, AnalysedDataId] = None
    description: Optional[str] = None
    data_format: Optional[str] = None
    spatial_dimension: Optional[str] = None
    time_points: Optional[int] = None
    object_count: Optional[int] = None
    entity_types: Optional[Union[str, list[str]]] = empty_list()
    object_names: Optional[Union[str, list[str]]] = empty_list()
    feature_names: Optional[Union[str, list[str]]] = empty_list()
    track_count: Optional[int] = None
    division_count: Optional[int] = None
    objects_per_time_point: Optional[Union[str, JsonText]] = None
    physical_size_x: Optional[Union[dict, Quantity]] = None
    physical_size_y: Optional[Union[dict, Quantity]] = None
    physical_size_z: Optional[Union[dict, Quantity]] = None
    time_interval: Optional[Union[dict, Quantity]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, AnalysedDataId):
            self.id = AnalysedDataId(self.id)

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        if self.data_format is not None and not isinstance(self.data_format, str):
            self.data_format = str(self.data_format)

        if self.spatial_dimension is not None and not isinstance(self.spatial_dimension, str):
            self.spatial_dimension = str(self.spatial_dimension)

        if self.time_points is not None and not isinstance(self.time_points, int):
            self.time_points = int(self.time_points)

        if self.object_count is not None and not isinstance(self.object_count, int):
            self.object_count = int(self.object_count)

        if not isinstance(self.entity_types, list):
            self.entity_types = [self.entity_types] if self.entity_types is not None else []
        self.entity_types = [v if isinstance(v, str) else str(v) for v in self.entity_types]

        if not isinstance(self.object_names, list):
            self.object_names = [self.object_names] if self.object_names is not None else []
        self.object_names = [v if isinstance(v, str) else str(v) for v in self.object_names]

        if not isinstance(self.feature_names, list):
            self.feature_names = [self.feature_names] if self.feature_names is not None else []
        self.feature_names = [v if isinstance(v, str) else str(v) for v in self.feature_names]

        if self.track_count is not None and not isinstance(self.track_count, int):
            self.track_count = int(self.track_count)

        if self.division_count is not None and not isinstance(self.division_count, int):
            self.division_count = int(self.division_count)

        if self.objects_per_time_point is not None and not isinstance(self.objects_per_time_point, JsonText):
            self.objects_per_time_point = JsonText(self.objects_per_time_point)

        if self.physical_size_x is not None and not isinstance(self.physical_size_x, Quantity):
            self.physical_size_x = Quantity(**as_dict(self.physical_size_x))

        if self.physical_size_y is not None and not isinstance(self.physical_size_y, Quantity):
            self.physical_size_y = Quantity(**as_dict(self.physical_size_y))

        if self.physical_size_z is not None and not isinstance(self.physical_size_z, Quantity):
            self.physical_size_z = Quantity(**as_dict(self.physical_size_z))

        if self.time_interval is not None and not isinstance(self.time_interval, Quantity):
            self.time_interval = Quantity(**as_dict(self.time_interval))

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Protocol(Record):
    """
    A protocol of a study component (growth, treatment, sample preparation, image acquisition, analysis), with its EFO
    protocol type where the source gives one.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Protocol"]
    class_class_curie: ClassVar[str] = "kg:Protocol"
    class_name: ClassVar[str] = "Protocol"
    class_model_uri: ClassVar[URIRef] = KG.Protocol

    id: Union[str, ProtocolId] = None
    description: Optional[str] = None
    name: Optional[str] = None
    protocol_type: Optional[Union[str, URIorCURIE]] = None
    protocol_type_name: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ProtocolId):
            self.id = ProtocolId(self.id)

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        if self.protocol_type is not None and not isinstance(self.protocol_type, URIorCURIE):
            self.protocol_type = URIorCURIE(self.protocol_type)

        if self.protocol_type_name is not None and not isinstance(self.protocol_type_name, str):
            self.protocol_type_name = str(self.protocol_type_name)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Phenotype(Record):
    """
    A phenotype the study scored (REMBI Analysed Data), with its CMPO term.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Phenotype"]
    class_class_curie: ClassVar[str] = "kg:Phenotype"
    class_name: ClassVar[str] = "Phenotype"
    class_model_uri: ClassVar[URIRef] = KG.Phenotype

    id: Union[str, PhenotypeId] = None
    description: Optional[str] = None
    name: Optional[str] = None
    score_type: Optional[str] = None
    terms: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    term_names: Optional[Union[str, list[str]]] = empty_list()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, PhenotypeId):
            self.id = PhenotypeId(self.id)

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        if self.score_type is not None and not isinstance(self.score_type, str):
            self.score_type = str(self.score_type)

        if not isinstance(self.terms, list):
            self.terms = [self.terms] if self.terms is not None else []
        self.terms = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.terms]

        if not isinstance(self.term_names, list):
            self.term_names = [self.term_names] if self.term_names is not None else []
        self.term_names = [v if isinstance(v, str) else str(v) for v in self.term_names]

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ImageGroup(Record):
    """
    Images of one study component that share every annotation value of an IDR annotation file (biosample
    characteristics, perturbations, phenotypes), with how many images they are. The groups partition the annotated
    images, so counts add up per value and two values in one group were seen in the same images (the gene knocked down
    and the phenotype scored). Per-dataset groups rather than one record per image keep the graph bounded by the
    distinct annotation combinations, not the rows (bench/bench_annotations.py).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["ImageGroup"]
    class_class_curie: ClassVar[str] = "kg:ImageGroup"
    class_name: ClassVar[str] = "ImageGroup"
    class_model_uri: ClassVar[URIRef] = KG.ImageGroup

    id: Union[str, ImageGroupId] = None
    image_count: int = None
    label: Optional[str] = None
    organisms: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    cell_lines: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    cell_line_names: Optional[Union[str, list[str]]] = empty_list()
    anatomical_entities: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    genes: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    gene_symbols: Optional[Union[str, list[str]]] = empty_list()
    sirnas: Optional[Union[str, list[str]]] = empty_list()
    antibodies: Optional[Union[str, list[str]]] = empty_list()
    compounds: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    compound_names: Optional[Union[str, list[str]]] = empty_list()
    phenotypes: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    phenotype_names: Optional[Union[str, list[str]]] = empty_list()
    control_type: Optional[str] = None
    intrinsic_variables: Optional[Union[str, list[str]]] = empty_list()
    extrinsic_variables: Optional[Union[str, list[str]]] = empty_list()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ImageGroupId):
            self.id = ImageGroupId(self.id)

        if self._is_empty(self.image_count):
            self.MissingRequiredField("image_count")
        if not isinstance(self.image_count, int):
            self.image_count = int(self.image_count)

        if self.label is not None and not isinstance(self.label, str):
            self.label = str(self.label)

        if not isinstance(self.organisms, list):
            self.organisms = [self.organisms] if self.organisms is not None else []
        self.organisms = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.organisms]

        if not isinstance(self.cell_lines, list):
            self.cell_lines = [self.cell_lines] if self.cell_lines is not None else []
        self.cell_lines = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.cell_lines]

        if not isinstance(self.cell_line_names, list):
            self.cell_line_names = [self.cell_line_names] if self.cell_line_names is not None else []
        self.cell_line_names = [v if isinstance(v, str) else str(v) for v in self.cell_line_names]

        if not isinstance(self.anatomical_entities, list):
            self.anatomical_entities = [self.anatomical_entities] if self.anatomical_entities is not None else []
        self.anatomical_entities = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.anatomical_entities]

        if not isinstance(self.genes, list):
            self.genes = [self.genes] if self.genes is not None else []
        self.genes = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.genes]

        if not isinstance(self.gene_symbols, list):
            self.gene_symbols = [self.gene_symbols] if self.gene_symbols is not None else []
        self.gene_symbols = [v if isinstance(v, str) else str(v) for v in self.gene_symbols]

        if not isinstance(self.sirnas, list):
            self.sirnas = [self.sirnas] if self.sirnas is not None else []
        self.sirnas = [v if isinstance(v, str) else str(v) for v in self.sirnas]

        if not isinstance(self.antibodies, list):
            self.antibodies = [self.antibodies] if self.antibodies is not None else []
        self.antibodies = [v if isinstance(v, str) else str(v) for v in self.antibodies]

        if not isinstance(self.compounds, list):
            self.compounds = [self.compounds] if self.compounds is not None else []
        self.compounds = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.compounds]

        if not isinstance(self.compound_names, list):
            self.compound_names = [self.compound_names] if self.compound_names is not None else []
        self.compound_names = [v if isinstance(v, str) else str(v) for v in self.compound_names]

        if not isinstance(self.phenotypes, list):
            self.phenotypes = [self.phenotypes] if self.phenotypes is not None else []
        self.phenotypes = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.phenotypes]

        if not isinstance(self.phenotype_names, list):
            self.phenotype_names = [self.phenotype_names] if self.phenotype_names is not None else []
        self.phenotype_names = [v if isinstance(v, str) else str(v) for v in self.phenotype_names]

        if self.control_type is not None and not isinstance(self.control_type, str):
            self.control_type = str(self.control_type)

        if not isinstance(self.intrinsic_variables, list):
            self.intrinsic_variables = [self.intrinsic_variables] if self.intrinsic_variables is not None else []
        self.intrinsic_variables = [v if isinstance(v, str) else str(v) for v in self.intrinsic_variables]

        if not isinstance(self.extrinsic_variables, list):
            self.extrinsic_variables = [self.extrinsic_variables] if self.extrinsic_variables is not None else []
        self.extrinsic_variables = [v if isinstance(v, str) else str(v) for v in self.extrinsic_variables]

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class DataFile(Record):
    """
    A file the record points to; described, never copied.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["DataFile"]
    class_class_curie: ClassVar[str] = "kg:DataFile"
    class_name: ClassVar[str] = "DataFile"
    class_model_uri: ClassVar[URIRef] = KG.DataFile

    id: Union[str, DataFileId] = None
    url: Union[str, URI] = None
    name: Optional[str] = None
    media_type: Optional[str] = None
    size_bytes: Optional[int] = None
    sha256: Optional[str] = None
    role: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, DataFileId):
            self.id = DataFileId(self.id)

        if self._is_empty(self.url):
            self.MissingRequiredField("url")
        if not isinstance(self.url, URI):
            self.url = URI(self.url)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        if self.media_type is not None and not isinstance(self.media_type, str):
            self.media_type = str(self.media_type)

        if self.size_bytes is not None and not isinstance(self.size_bytes, int):
            self.size_bytes = int(self.size_bytes)

        if self.sha256 is not None and not isinstance(self.sha256, str):
            self.sha256 = str(self.sha256)

        if self.role is not None and not isinstance(self.role, str):
            self.role = str(self.role)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Person(Record):
    """
    A contact or contributor.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Person"]
    class_class_curie: ClassVar[str] = "kg:Person"
    class_name: ClassVar[str] = "Person"
    class_model_uri: ClassVar[URIRef] = KG.Person

    id: Union[str, PersonId] = None
    name: Optional[str] = None
    given_name: Optional[str] = None
    family_name: Optional[str] = None
    email: Optional[str] = None
    orcid: Optional[Union[str, URI]] = None
    roles: Optional[Union[str, list[str]]] = empty_list()
    affiliation: Optional[Union[dict, "Organization"]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, PersonId):
            self.id = PersonId(self.id)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        if self.given_name is not None and not isinstance(self.given_name, str):
            self.given_name = str(self.given_name)

        if self.family_name is not None and not isinstance(self.family_name, str):
            self.family_name = str(self.family_name)

        if self.email is not None and not isinstance(self.email, str):
            self.email = str(self.email)

        if self.orcid is not None and not isinstance(self.orcid, URI):
            self.orcid = URI(self.orcid)

        if not isinstance(self.roles, list):
            self.roles = [self.roles] if self.roles is not None else []
        self.roles = [v if isinstance(v, str) else str(v) for v in self.roles]

        if self.affiliation is not None and not isinstance(self.affiliation, Organization):
            self.affiliation = Organization(**as_dict(self.affiliation))

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Organization(Record):
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Organization"]
    class_class_curie: ClassVar[str] = "kg:Organization"
    class_name: ClassVar[str] = "Organization"
    class_model_uri: ClassVar[URIRef] = KG.Organization

    id: Union[str, OrganizationId] = None
    name: Optional[str] = None
    ror: Optional[Union[str, URI]] = None
    department: Optional[str] = None
    laboratory: Optional[str] = None
    address: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, OrganizationId):
            self.id = OrganizationId(self.id)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        if self.ror is not None and not isinstance(self.ror, URI):
            self.ror = URI(self.ror)

        if self.department is not None and not isinstance(self.department, str):
            self.department = str(self.department)

        if self.laboratory is not None and not isinstance(self.laboratory, str):
            self.laboratory = str(self.laboratory)

        if self.address is not None and not isinstance(self.address, str):
            self.address = str(self.address)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Publication(Record):
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Publication"]
    class_class_curie: ClassVar[str] = "kg:Publication"
    class_name: ClassVar[str] = "Publication"
    class_model_uri: ClassVar[URIRef] = KG.Publication

    id: Union[str, PublicationId] = None
    title: Optional[str] = None
    doi: Optional[Union[str, URI]] = None
    pubmed_id: Optional[str] = None
    pmc_id: Optional[str] = None
    citation_text: Optional[str] = None
    url: Optional[Union[str, URI]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, PublicationId):
            self.id = PublicationId(self.id)

        if self.title is not None and not isinstance(self.title, str):
            self.title = str(self.title)

        if self.doi is not None and not isinstance(self.doi, URI):
            self.doi = URI(self.doi)

        if self.pubmed_id is not None and not isinstance(self.pubmed_id, str):
            self.pubmed_id = str(self.pubmed_id)

        if self.pmc_id is not None and not isinstance(self.pmc_id, str):
            self.pmc_id = str(self.pmc_id)

        if self.citation_text is not None and not isinstance(self.citation_text, str):
            self.citation_text = str(self.citation_text)

        if self.url is not None and not isinstance(self.url, URI):
            self.url = URI(self.url)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class License(Record):
    """
    A licence, identified by its canonical IRI; `id` is that IRI.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = DCTERMS["LicenseDocument"]
    class_class_curie: ClassVar[str] = "dcterms:LicenseDocument"
    class_name: ClassVar[str] = "License"
    class_model_uri: ClassVar[URIRef] = KG.License

    id: Union[str, LicenseId] = None
    label: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, LicenseId):
            self.id = LicenseId(self.id)

        if self.label is not None and not isinstance(self.label, str):
            self.label = str(self.label)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Grant(Record):
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Grant"]
    class_class_curie: ClassVar[str] = "kg:Grant"
    class_name: ClassVar[str] = "Grant"
    class_model_uri: ClassVar[URIRef] = KG.Grant

    id: Union[str, GrantId] = None
    funder: Optional[str] = None
    grant_id: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, GrantId):
            self.id = GrantId(self.id)

        if self.funder is not None and not isinstance(self.funder, str):
            self.funder = str(self.funder)

        if self.grant_id is not None and not isinstance(self.grant_id, str):
            self.grant_id = str(self.grant_id)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Tombstone(YAMLRoot):
    """
    A withdrawn record. Kept in the graph urn:kg-service:tombstones on the record's own IRI, which then answers 410
    with a page that still cites it.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["Tombstone"]
    class_class_curie: ClassVar[str] = "kg:Tombstone"
    class_name: ClassVar[str] = "Tombstone"
    class_model_uri: ClassVar[URIRef] = KG.Tombstone

    id: Union[str, TombstoneId] = None
    withdrawn: Optional[Union[str, XSDDate]] = None
    withdrawal_reason: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, TombstoneId):
            self.id = TombstoneId(self.id)

        if self.withdrawn is not None and not isinstance(self.withdrawn, XSDDate):
            self.withdrawn = XSDDate(self.withdrawn)

        if self.withdrawal_reason is not None and not isinstance(self.withdrawal_reason, str):
            self.withdrawal_reason = str(self.withdrawal_reason)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class LinkCheck(YAMLRoot):
    """
    The last check of a data-file, OME-Zarr or viewer URL by `kg-service links check`, kept in the graph
    urn:kg-service:link-checks on the URL itself.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = KG["LinkCheck"]
    class_class_curie: ClassVar[str] = "kg:LinkCheck"
    class_name: ClassVar[str] = "LinkCheck"
    class_model_uri: ClassVar[URIRef] = KG.LinkCheck

    id: Union[str, LinkCheckId] = None
    link_ok: Optional[Union[bool, Bool]] = None
    link_status: Optional[int] = None
    link_media_type: Optional[str] = None
    link_size: Optional[int] = None
    link_checked_at: Optional[Union[str, XSDDateTime]] = None
    link_final_url: Optional[Union[str, URI]] = None
    link_error: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, LinkCheckId):
            self.id = LinkCheckId(self.id)

        if self.link_ok is not None and not isinstance(self.link_ok, Bool):
            self.link_ok = Bool(self.link_ok)

        if self.link_status is not None and not isinstance(self.link_status, int):
            self.link_status = int(self.link_status)

        if self.link_media_type is not None and not isinstance(self.link_media_type, str):
            self.link_media_type = str(self.link_media_type)

        if self.link_size is not None and not isinstance(self.link_size, int):
            self.link_size = int(self.link_size)

        if self.link_checked_at is not None and not isinstance(self.link_checked_at, XSDDateTime):
            self.link_checked_at = XSDDateTime(self.link_checked_at)

        if self.link_final_url is not None and not isinstance(self.link_final_url, URI):
            self.link_final_url = URI(self.link_final_url)

        if self.link_error is not None and not isinstance(self.link_error, str):
            self.link_error = str(self.link_error)

        super().__post_init__(**kwargs)


# Enumerations
class DataKind(EnumDefinitionImpl):
    """
    What a study component holds.
    """
    image = PermissibleValue(
        text="image",
        description="A set of images (\"Image data\" in the SSBD template).",
        meaning=KG["ImageDataKind"])
    quantitative = PermissibleValue(
        text="quantitative",
        description="Numerical spatiotemporal data such as BD5/BDML (\"Quantitative data\").",
        meaning=KG["QuantitativeDataKind"])

    _defn = EnumDefinition(
        name="DataKind",
        description="What a study component holds.",
    )

class BasedOn(EnumDefinitionImpl):
    """
    Whether the data come from an experiment or a simulation (BDML basedon).
    """
    experiment = PermissibleValue(text="experiment")
    simulation = PermissibleValue(text="simulation")

    _defn = EnumDefinition(
        name="BasedOn",
        description="Whether the data come from an experiment or a simulation (BDML basedon).",
    )

class ComponentType(EnumDefinitionImpl):
    """
    What kind of study component a dataset is (IDR screens and experiments).
    """
    screen = PermissibleValue(
        text="screen",
        description="A high-content screen (plates and wells).")
    experiment = PermissibleValue(
        text="experiment",
        description="An experiment that is not a plate-based screen.")

    _defn = EnumDefinition(
        name="ComponentType",
        description="What kind of study component a dataset is (IDR screens and experiments).",
    )

class Tier(EnumDefinitionImpl):
    """
    SSBD's two metadata tiers.
    """
    repository = PermissibleValue(
        text="repository",
        description="Minimal metadata for rapid, DOI-able publication (SSBD:repository).")
    database = PermissibleValue(
        text="database",
        description="Rich curated metadata with ontology terms (SSBD:database).")

    _defn = EnumDefinition(
        name="Tier",
        description="SSBD's two metadata tiers.",
    )

# Slots
class slots:
    pass

slots.id = Slot(uri=KG.id, name="id", curie=KG.curie('id'),
                   model_uri=KG.id, domain=None, range=URIRef)

slots.title = Slot(uri=DCTERMS.title, name="title", curie=DCTERMS.curie('title'),
                   model_uri=KG.title, domain=None, range=Optional[str])

slots.description = Slot(uri=DCTERMS.description, name="description", curie=DCTERMS.curie('description'),
                   model_uri=KG.description, domain=None, range=Optional[str])

slots.label = Slot(uri=RDFS.label, name="label", curie=RDFS.curie('label'),
                   model_uri=KG.label, domain=None, range=Optional[str])

slots.accession = Slot(uri=DCTERMS.identifier, name="accession", curie=DCTERMS.curie('identifier'),
                   model_uri=KG.accession, domain=None, range=Optional[str])

slots.keywords = Slot(uri=SCHEMA.keywords, name="keywords", curie=SCHEMA.curie('keywords'),
                   model_uri=KG.keywords, domain=None, range=Optional[Union[str, list[str]]])

slots.license = Slot(uri=DCTERMS.license, name="license", curie=DCTERMS.curie('license'),
                   model_uri=KG.license, domain=None, range=Optional[Union[str, LicenseId]])

slots.landing_page = Slot(uri=DCAT.landingPage, name="landing_page", curie=DCAT.curie('landingPage'),
                   model_uri=KG.landing_page, domain=None, range=Optional[Union[str, URI]])

slots.source_repository = Slot(uri=KG.sourceRepository, name="source_repository", curie=KG.curie('sourceRepository'),
                   model_uri=KG.source_repository, domain=None, range=Optional[str])

slots.release_date = Slot(uri=DCTERMS.issued, name="release_date", curie=DCTERMS.curie('issued'),
                   model_uri=KG.release_date, domain=None, range=Optional[Union[str, XSDDate]])

slots.submission_date = Slot(uri=DCTERMS.dateSubmitted, name="submission_date", curie=DCTERMS.curie('dateSubmitted'),
                   model_uri=KG.submission_date, domain=None, range=Optional[Union[str, XSDDate]])

slots.update_date = Slot(uri=DCTERMS.modified, name="update_date", curie=DCTERMS.curie('modified'),
                   model_uri=KG.update_date, domain=None, range=Optional[Union[str, XSDDate]])

slots.tier = Slot(uri=KG.tier, name="tier", curie=KG.curie('tier'),
                   model_uri=KG.tier, domain=None, range=Optional[Union[str, "Tier"]])

slots.data_doi = Slot(uri=KG.dataDoi, name="data_doi", curie=KG.curie('dataDoi'),
                   model_uri=KG.data_doi, domain=None, range=Optional[Union[str, URI]],
                   pattern=re.compile(r'^https://doi\.org/10\.\d{4,9}/\S+$'))

slots.image_count = Slot(uri=KG.imageCount, name="image_count", curie=KG.curie('imageCount'),
                   model_uri=KG.image_count, domain=None, range=Optional[int])

slots.project__project_type = Slot(uri=KG.projectType, name="project__project_type", curie=KG.curie('projectType'),
                   model_uri=KG.project__project_type, domain=None, range=Optional[str])

slots.project__method_summary = Slot(uri=KG.methodSummary, name="project__method_summary", curie=KG.curie('methodSummary'),
                   model_uri=KG.project__method_summary, domain=None, range=Optional[str])

slots.project__contacts = Slot(uri=KG.contact, name="project__contacts", curie=KG.curie('contact'),
                   model_uri=KG.project__contacts, domain=None, range=Optional[Union[dict[Union[str, PersonId], Union[dict, Person]], list[Union[dict, Person]]]])

slots.project__contributors = Slot(uri=DCTERMS.contributor, name="project__contributors", curie=DCTERMS.curie('contributor'),
                   model_uri=KG.project__contributors, domain=None, range=Optional[Union[dict[Union[str, PersonId], Union[dict, Person]], list[Union[dict, Person]]]])

slots.project__publications = Slot(uri=SCHEMA.citation, name="project__publications", curie=SCHEMA.curie('citation'),
                   model_uri=KG.project__publications, domain=None, range=Optional[Union[dict[Union[str, PublicationId], Union[dict, Publication]], list[Union[dict, Publication]]]])

slots.project__grants = Slot(uri=SCHEMA.funding, name="project__grants", curie=SCHEMA.curie('funding'),
                   model_uri=KG.project__grants, domain=None, range=Optional[Union[dict[Union[str, GrantId], Union[dict, Grant]], list[Union[dict, Grant]]]])

slots.project__datasets = Slot(uri=DCTERMS.hasPart, name="project__datasets", curie=DCTERMS.curie('hasPart'),
                   model_uri=KG.project__datasets, domain=None, range=Optional[Union[dict[Union[str, DatasetId], Union[dict, Dataset]], list[Union[dict, Dataset]]]])

slots.dataset__component_type = Slot(uri=KG.componentType, name="dataset__component_type", curie=KG.curie('componentType'),
                   model_uri=KG.dataset__component_type, domain=None, range=Optional[Union[str, "ComponentType"]])

slots.dataset__protocols = Slot(uri=KG.protocol, name="dataset__protocols", curie=KG.curie('protocol'),
                   model_uri=KG.dataset__protocols, domain=None, range=Optional[Union[dict[Union[str, ProtocolId], Union[dict, Protocol]], list[Union[dict, Protocol]]]])

slots.dataset__phenotypes = Slot(uri=KG.scoredPhenotype, name="dataset__phenotypes", curie=KG.curie('scoredPhenotype'),
                   model_uri=KG.dataset__phenotypes, domain=None, range=Optional[Union[dict[Union[str, PhenotypeId], Union[dict, Phenotype]], list[Union[dict, Phenotype]]]])

slots.dataset__image_groups = Slot(uri=KG.imageGroup, name="dataset__image_groups", curie=KG.curie('imageGroup'),
                   model_uri=KG.dataset__image_groups, domain=None, range=Optional[Union[dict[Union[str, ImageGroupId], Union[dict, ImageGroup]], list[Union[dict, ImageGroup]]]])

slots.dataset__kind = Slot(uri=KG.dataKind, name="dataset__kind", curie=KG.curie('dataKind'),
                   model_uri=KG.dataset__kind, domain=None, range=Optional[Union[str, "DataKind"]])

slots.dataset__based_on = Slot(uri=KG.basedOn, name="dataset__based_on", curie=KG.curie('basedOn'),
                   model_uri=KG.dataset__based_on, domain=None, range=Optional[Union[str, "BasedOn"]])

slots.dataset__datatype = Slot(uri=KG.datatype, name="dataset__datatype", curie=KG.curie('datatype'),
                   model_uri=KG.dataset__datatype, domain=None, range=Optional[str])

slots.dataset__figure = Slot(uri=KG.figure, name="dataset__figure", curie=KG.curie('figure'),
                   model_uri=KG.dataset__figure, domain=None, range=Optional[str])

slots.dataset__folder_name = Slot(uri=KG.folderName, name="dataset__folder_name", curie=KG.curie('folderName'),
                   model_uri=KG.dataset__folder_name, domain=None, range=Optional[str])

slots.dataset__file_formats = Slot(uri=KG.fileFormat, name="dataset__file_formats", curie=KG.curie('fileFormat'),
                   model_uri=KG.dataset__file_formats, domain=None, range=Optional[Union[str, list[str]]])

slots.dataset__biosamples = Slot(uri=KG.biosample, name="dataset__biosamples", curie=KG.curie('biosample'),
                   model_uri=KG.dataset__biosamples, domain=None, range=Optional[Union[dict[Union[str, BiosampleId], Union[dict, Biosample]], list[Union[dict, Biosample]]]])

slots.dataset__specimens = Slot(uri=KG.specimen, name="dataset__specimens", curie=KG.curie('specimen'),
                   model_uri=KG.dataset__specimens, domain=None, range=Optional[Union[dict[Union[str, SpecimenId], Union[dict, Specimen]], list[Union[dict, Specimen]]]])

slots.dataset__image_acquisitions = Slot(uri=KG.imageAcquisition, name="dataset__image_acquisitions", curie=KG.curie('imageAcquisition'),
                   model_uri=KG.dataset__image_acquisitions, domain=None, range=Optional[Union[dict[Union[str, ImageAcquisitionId], Union[dict, ImageAcquisition]], list[Union[dict, ImageAcquisition]]]])

slots.dataset__image_data = Slot(uri=KG.imageData, name="dataset__image_data", curie=KG.curie('imageData'),
                   model_uri=KG.dataset__image_data, domain=None, range=Optional[Union[dict[Union[str, ImageDataId], Union[dict, ImageData]], list[Union[dict, ImageData]]]])

slots.dataset__analysed_data = Slot(uri=KG.analysedData, name="dataset__analysed_data", curie=KG.curie('analysedData'),
                   model_uri=KG.dataset__analysed_data, domain=None, range=Optional[Union[dict[Union[str, AnalysedDataId], Union[dict, AnalysedData]], list[Union[dict, AnalysedData]]]])

slots.dataset__files = Slot(uri=DCAT.distribution, name="dataset__files", curie=DCAT.curie('distribution'),
                   model_uri=KG.dataset__files, domain=None, range=Optional[Union[dict[Union[str, DataFileId], Union[dict, DataFile]], list[Union[dict, DataFile]]]])

slots.dataset__external_links = Slot(uri=RDFS.seeAlso, name="dataset__external_links", curie=RDFS.curie('seeAlso'),
                   model_uri=KG.dataset__external_links, domain=None, range=Optional[Union[Union[str, URI], list[Union[str, URI]]]])

slots.biosample__organisms = Slot(uri=OBO.RO_0002162, name="biosample__organisms", curie=OBO.curie('RO_0002162'),
                   model_uri=KG.biosample__organisms, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/NCBITaxon_\d+$'))

slots.biosample__strains = Slot(uri=KG.strain, name="biosample__strains", curie=KG.curie('strain'),
                   model_uri=KG.biosample__strains, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.biosample__strain_names = Slot(uri=KG.strainName, name="biosample__strain_names", curie=KG.curie('strainName'),
                   model_uri=KG.biosample__strain_names, domain=None, range=Optional[Union[str, list[str]]])

slots.biosample__cell_lines = Slot(uri=KG.cellLine, name="biosample__cell_lines", curie=KG.curie('cellLine'),
                   model_uri=KG.biosample__cell_lines, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.biosample__cell_types = Slot(uri=KG.cellType, name="biosample__cell_types", curie=KG.curie('cellType'),
                   model_uri=KG.biosample__cell_types, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.biosample__anatomical_entities = Slot(uri=KG.anatomicalEntity, name="biosample__anatomical_entities", curie=KG.curie('anatomicalEntity'),
                   model_uri=KG.biosample__anatomical_entities, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.biosample__go_molecular_functions = Slot(uri=KG.goMolecularFunction, name="biosample__go_molecular_functions", curie=KG.curie('goMolecularFunction'),
                   model_uri=KG.biosample__go_molecular_functions, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/GO_\d{7}$'))

slots.biosample__go_biological_processes = Slot(uri=KG.goBiologicalProcess, name="biosample__go_biological_processes", curie=KG.curie('goBiologicalProcess'),
                   model_uri=KG.biosample__go_biological_processes, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/GO_\d{7}$'))

slots.biosample__go_cellular_components = Slot(uri=KG.goCellularComponent, name="biosample__go_cellular_components", curie=KG.curie('goCellularComponent'),
                   model_uri=KG.biosample__go_cellular_components, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/GO_\d{7}$'))

slots.biosample__mesh_terms = Slot(uri=KG.meshTerm, name="biosample__mesh_terms", curie=KG.curie('meshTerm'),
                   model_uri=KG.biosample__mesh_terms, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://id\.nlm\.nih\.gov/mesh/[A-Z]\d+$'))

slots.biosample__intrinsic_variables = Slot(uri=KG.intrinsicVariable, name="biosample__intrinsic_variables", curie=KG.curie('intrinsicVariable'),
                   model_uri=KG.biosample__intrinsic_variables, domain=None, range=Optional[Union[str, list[str]]])

slots.biosample__extrinsic_variables = Slot(uri=KG.extrinsicVariable, name="biosample__extrinsic_variables", curie=KG.curie('extrinsicVariable'),
                   model_uri=KG.biosample__extrinsic_variables, domain=None, range=Optional[Union[str, list[str]]])

slots.biosample__genetic_information = Slot(uri=KG.geneticInformation, name="biosample__genetic_information", curie=KG.curie('geneticInformation'),
                   model_uri=KG.biosample__genetic_information, domain=None, range=Optional[Union[dict[Union[str, GeneticInformationId], Union[dict, GeneticInformation]], list[Union[dict, GeneticInformation]]]])

slots.biosample__reagents = Slot(uri=KG.reagent, name="biosample__reagents", curie=KG.curie('reagent'),
                   model_uri=KG.biosample__reagents, domain=None, range=Optional[Union[dict[Union[str, ReagentId], Union[dict, Reagent]], list[Union[dict, Reagent]]]])

slots.geneticInformation__gene_names = Slot(uri=KG.geneName, name="geneticInformation__gene_names", curie=KG.curie('geneName'),
                   model_uri=KG.geneticInformation__gene_names, domain=None, range=Optional[Union[str, list[str]]])

slots.geneticInformation__protein_names = Slot(uri=KG.proteinName, name="geneticInformation__protein_names", curie=KG.curie('proteinName'),
                   model_uri=KG.geneticInformation__protein_names, domain=None, range=Optional[Union[str, list[str]]])

slots.geneticInformation__tags = Slot(uri=KG.tag, name="geneticInformation__tags", curie=KG.curie('tag'),
                   model_uri=KG.geneticInformation__tags, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/FBbi_\d{8}$'))

slots.geneticInformation__tag_names = Slot(uri=KG.tagName, name="geneticInformation__tag_names", curie=KG.curie('tagName'),
                   model_uri=KG.geneticInformation__tag_names, domain=None, range=Optional[Union[str, list[str]]])

slots.geneticInformation__method_name = Slot(uri=KG.geneticMethodName, name="geneticInformation__method_name", curie=KG.curie('geneticMethodName'),
                   model_uri=KG.geneticInformation__method_name, domain=None, range=Optional[str])

slots.geneticInformation__method = Slot(uri=KG.geneticMethod, name="geneticInformation__method", curie=KG.curie('geneticMethod'),
                   model_uri=KG.geneticInformation__method, domain=None, range=Optional[Union[str, URIorCURIE]])

slots.reagent__name = Slot(uri=SCHEMA.name, name="reagent__name", curie=SCHEMA.curie('name'),
                   model_uri=KG.reagent__name, domain=None, range=Optional[str])

slots.reagent__term = Slot(uri=KG.reagentTerm, name="reagent__term", curie=KG.curie('reagentTerm'),
                   model_uri=KG.reagent__term, domain=None, range=Optional[Union[str, URIorCURIE]])

slots.reagent__concentration = Slot(uri=KG.concentration, name="reagent__concentration", curie=KG.curie('concentration'),
                   model_uri=KG.reagent__concentration, domain=None, range=Optional[str])

slots.reagent__concentration_unit = Slot(uri=KG.concentrationUnit, name="reagent__concentration_unit", curie=KG.curie('concentrationUnit'),
                   model_uri=KG.reagent__concentration_unit, domain=None, range=Optional[Union[str, URIorCURIE]])

slots.reagent__fold_dilution = Slot(uri=KG.foldDilution, name="reagent__fold_dilution", curie=KG.curie('foldDilution'),
                   model_uri=KG.reagent__fold_dilution, domain=None, range=Optional[str])

slots.specimen__preparation_method = Slot(uri=KG.preparationMethod, name="specimen__preparation_method", curie=KG.curie('preparationMethod'),
                   model_uri=KG.specimen__preparation_method, domain=None, range=Optional[str])

slots.specimen__signal_contrast_mechanism = Slot(uri=KG.signalContrastMechanism, name="specimen__signal_contrast_mechanism", curie=KG.curie('signalContrastMechanism'),
                   model_uri=KG.specimen__signal_contrast_mechanism, domain=None, range=Optional[str])

slots.specimen__channel_content = Slot(uri=KG.channelContent, name="specimen__channel_content", curie=KG.curie('channelContent'),
                   model_uri=KG.specimen__channel_content, domain=None, range=Optional[str])

slots.imageAcquisition__imaging_methods = Slot(uri=KG.imagingMethod, name="imageAcquisition__imaging_methods", curie=KG.curie('imagingMethod'),
                   model_uri=KG.imageAcquisition__imaging_methods, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/FBbi_\d{8}$'))

slots.imageAcquisition__detection_methods = Slot(uri=KG.detectionMethod, name="imageAcquisition__detection_methods", curie=KG.curie('detectionMethod'),
                   model_uri=KG.imageAcquisition__detection_methods, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/FBbi_\d{8}$'))

slots.imageAcquisition__illumination_methods = Slot(uri=KG.illuminationMethod, name="imageAcquisition__illumination_methods", curie=KG.curie('illuminationMethod'),
                   model_uri=KG.imageAcquisition__illumination_methods, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/FBbi_\d{8}$'))

slots.imageAcquisition__contrast_methods = Slot(uri=KG.contrastMethod, name="imageAcquisition__contrast_methods", curie=KG.curie('contrastMethod'),
                   model_uri=KG.imageAcquisition__contrast_methods, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/FBbi_\d{8}$'))

slots.imageAcquisition__resolution_methods = Slot(uri=KG.resolutionMethod, name="imageAcquisition__resolution_methods", curie=KG.curie('resolutionMethod'),
                   model_uri=KG.imageAcquisition__resolution_methods, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/FBbi_\d{8}$'))

slots.imageAcquisition__visualization_methods = Slot(uri=KG.visualizationMethod, name="imageAcquisition__visualization_methods", curie=KG.curie('visualizationMethod'),
                   model_uri=KG.imageAcquisition__visualization_methods, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/FBbi_\d{8}$'))

slots.imageAcquisition__imaging_method_names = Slot(uri=KG.imagingMethodName, name="imageAcquisition__imaging_method_names", curie=KG.curie('imagingMethodName'),
                   model_uri=KG.imageAcquisition__imaging_method_names, domain=None, range=Optional[Union[str, list[str]]])

slots.imageAcquisition__experiment_types = Slot(uri=KG.experimentType, name="imageAcquisition__experiment_types", curie=KG.curie('experimentType'),
                   model_uri=KG.imageAcquisition__experiment_types, domain=None, range=Optional[Union[str, list[str]]])

slots.imageAcquisition__mesh_terms = Slot(uri=KG.meshTerm, name="imageAcquisition__mesh_terms", curie=KG.curie('meshTerm'),
                   model_uri=KG.imageAcquisition__mesh_terms, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.imageAcquisition__mesh_term_names = Slot(uri=KG.meshTermName, name="imageAcquisition__mesh_term_names", curie=KG.curie('meshTermName'),
                   model_uri=KG.imageAcquisition__mesh_term_names, domain=None, range=Optional[Union[str, list[str]]])

slots.imageAcquisition__instrument = Slot(uri=KG.instrument, name="imageAcquisition__instrument", curie=KG.curie('instrument'),
                   model_uri=KG.imageAcquisition__instrument, domain=None, range=Optional[Union[dict, Instrument]])

slots.instrument__microscope = Slot(uri=KG.microscope, name="instrument__microscope", curie=KG.curie('microscope'),
                   model_uri=KG.instrument__microscope, domain=None, range=Optional[str])

slots.instrument__objective = Slot(uri=KG.objective, name="instrument__objective", curie=KG.curie('objective'),
                   model_uri=KG.instrument__objective, domain=None, range=Optional[str])

slots.instrument__detector = Slot(uri=KG.detector, name="instrument__detector", curie=KG.curie('detector'),
                   model_uri=KG.instrument__detector, domain=None, range=Optional[str])

slots.instrument__light_source = Slot(uri=KG.lightSource, name="instrument__light_source", curie=KG.curie('lightSource'),
                   model_uri=KG.instrument__light_source, domain=None, range=Optional[str])

slots.instrument__module = Slot(uri=KG.module, name="instrument__module", curie=KG.curie('module'),
                   model_uri=KG.instrument__module, domain=None, range=Optional[str])

slots.instrument__filter_set = Slot(uri=KG.filterSet, name="instrument__filter_set", curie=KG.curie('filterSet'),
                   model_uri=KG.instrument__filter_set, domain=None, range=Optional[str])

slots.imageData__dimensions = Slot(uri=KG.dimensions, name="imageData__dimensions", curie=KG.curie('dimensions'),
                   model_uri=KG.imageData__dimensions, domain=None, range=Optional[str])

slots.imageData__size_x = Slot(uri=KG.sizeX, name="imageData__size_x", curie=KG.curie('sizeX'),
                   model_uri=KG.imageData__size_x, domain=None, range=Optional[int])

slots.imageData__size_y = Slot(uri=KG.sizeY, name="imageData__size_y", curie=KG.curie('sizeY'),
                   model_uri=KG.imageData__size_y, domain=None, range=Optional[int])

slots.imageData__size_z = Slot(uri=KG.sizeZ, name="imageData__size_z", curie=KG.curie('sizeZ'),
                   model_uri=KG.imageData__size_z, domain=None, range=Optional[int])

slots.imageData__size_c = Slot(uri=KG.sizeC, name="imageData__size_c", curie=KG.curie('sizeC'),
                   model_uri=KG.imageData__size_c, domain=None, range=Optional[int])

slots.imageData__size_t = Slot(uri=KG.sizeT, name="imageData__size_t", curie=KG.curie('sizeT'),
                   model_uri=KG.imageData__size_t, domain=None, range=Optional[int])

slots.imageData__axes = Slot(uri=KG.axes, name="imageData__axes", curie=KG.curie('axes'),
                   model_uri=KG.imageData__axes, domain=None, range=Optional[str])

slots.imageData__physical_size_x = Slot(uri=KG.physicalSizeX, name="imageData__physical_size_x", curie=KG.curie('physicalSizeX'),
                   model_uri=KG.imageData__physical_size_x, domain=None, range=Optional[Union[dict, Quantity]])

slots.imageData__physical_size_y = Slot(uri=KG.physicalSizeY, name="imageData__physical_size_y", curie=KG.curie('physicalSizeY'),
                   model_uri=KG.imageData__physical_size_y, domain=None, range=Optional[Union[dict, Quantity]])

slots.imageData__physical_size_z = Slot(uri=KG.physicalSizeZ, name="imageData__physical_size_z", curie=KG.curie('physicalSizeZ'),
                   model_uri=KG.imageData__physical_size_z, domain=None, range=Optional[Union[dict, Quantity]])

slots.imageData__time_interval = Slot(uri=KG.timeInterval, name="imageData__time_interval", curie=KG.curie('timeInterval'),
                   model_uri=KG.imageData__time_interval, domain=None, range=Optional[Union[dict, Quantity]])

slots.imageData__file_format = Slot(uri=KG.fileFormat, name="imageData__file_format", curie=KG.curie('fileFormat'),
                   model_uri=KG.imageData__file_format, domain=None, range=Optional[str])

slots.imageData__ome_zarr_url = Slot(uri=KG.omeZarr, name="imageData__ome_zarr_url", curie=KG.curie('omeZarr'),
                   model_uri=KG.imageData__ome_zarr_url, domain=None, range=Optional[Union[str, URI]])

slots.imageData__viewer_url = Slot(uri=KG.viewer, name="imageData__viewer_url", curie=KG.curie('viewer'),
                   model_uri=KG.imageData__viewer_url, domain=None, range=Optional[Union[str, URI]])

slots.imageData__thumbnail_url = Slot(uri=SCHEMA.thumbnailUrl, name="imageData__thumbnail_url", curie=SCHEMA.curie('thumbnailUrl'),
                   model_uri=KG.imageData__thumbnail_url, domain=None, range=Optional[Union[str, URI]])

slots.quantity__value = Slot(uri=SCHEMA.value, name="quantity__value", curie=SCHEMA.curie('value'),
                   model_uri=KG.quantity__value, domain=None, range=Decimal)

slots.quantity__unit = Slot(uri=SCHEMA.unitCode, name="quantity__unit", curie=SCHEMA.curie('unitCode'),
                   model_uri=KG.quantity__unit, domain=None, range=Optional[Union[str, URIorCURIE]])

slots.quantity__unit_label = Slot(uri=SCHEMA.unitText, name="quantity__unit_label", curie=SCHEMA.curie('unitText'),
                   model_uri=KG.quantity__unit_label, domain=None, range=Optional[str])

slots.quantity__source_text = Slot(uri=KG.sourceText, name="quantity__source_text", curie=KG.curie('sourceText'),
                   model_uri=KG.quantity__source_text, domain=None, range=Optional[str])

slots.analysedData__data_format = Slot(uri=KG.dataFormat, name="analysedData__data_format", curie=KG.curie('dataFormat'),
                   model_uri=KG.analysedData__data_format, domain=None, range=Optional[str])

slots.analysedData__spatial_dimension = Slot(uri=KG.spatialDimension, name="analysedData__spatial_dimension", curie=KG.curie('spatialDimension'),
                   model_uri=KG.analysedData__spatial_dimension, domain=None, range=Optional[str])

slots.analysedData__time_points = Slot(uri=KG.timePoints, name="analysedData__time_points", curie=KG.curie('timePoints'),
                   model_uri=KG.analysedData__time_points, domain=None, range=Optional[int])

slots.analysedData__object_count = Slot(uri=KG.objectCount, name="analysedData__object_count", curie=KG.curie('objectCount'),
                   model_uri=KG.analysedData__object_count, domain=None, range=Optional[int])

slots.analysedData__entity_types = Slot(uri=KG.entityType, name="analysedData__entity_types", curie=KG.curie('entityType'),
                   model_uri=KG.analysedData__entity_types, domain=None, range=Optional[Union[str, list[str]]])

slots.analysedData__object_names = Slot(uri=KG.objectName, name="analysedData__object_names", curie=KG.curie('objectName'),
                   model_uri=KG.analysedData__object_names, domain=None, range=Optional[Union[str, list[str]]])

slots.analysedData__feature_names = Slot(uri=KG.featureName, name="analysedData__feature_names", curie=KG.curie('featureName'),
                   model_uri=KG.analysedData__feature_names, domain=None, range=Optional[Union[str, list[str]]])

slots.analysedData__track_count = Slot(uri=KG.trackCount, name="analysedData__track_count", curie=KG.curie('trackCount'),
                   model_uri=KG.analysedData__track_count, domain=None, range=Optional[int])

slots.analysedData__division_count = Slot(uri=KG.divisionCount, name="analysedData__division_count", curie=KG.curie('divisionCount'),
                   model_uri=KG.analysedData__division_count, domain=None, range=Optional[int])

slots.analysedData__objects_per_time_point = Slot(uri=KG.objectsPerTimePoint, name="analysedData__objects_per_time_point", curie=KG.curie('objectsPerTimePoint'),
                   model_uri=KG.analysedData__objects_per_time_point, domain=None, range=Optional[Union[str, JsonText]])

slots.analysedData__physical_size_x = Slot(uri=KG.physicalSizeX, name="analysedData__physical_size_x", curie=KG.curie('physicalSizeX'),
                   model_uri=KG.analysedData__physical_size_x, domain=None, range=Optional[Union[dict, Quantity]])

slots.analysedData__physical_size_y = Slot(uri=KG.physicalSizeY, name="analysedData__physical_size_y", curie=KG.curie('physicalSizeY'),
                   model_uri=KG.analysedData__physical_size_y, domain=None, range=Optional[Union[dict, Quantity]])

slots.analysedData__physical_size_z = Slot(uri=KG.physicalSizeZ, name="analysedData__physical_size_z", curie=KG.curie('physicalSizeZ'),
                   model_uri=KG.analysedData__physical_size_z, domain=None, range=Optional[Union[dict, Quantity]])

slots.analysedData__time_interval = Slot(uri=KG.timeInterval, name="analysedData__time_interval", curie=KG.curie('timeInterval'),
                   model_uri=KG.analysedData__time_interval, domain=None, range=Optional[Union[dict, Quantity]])

slots.protocol__name = Slot(uri=SCHEMA.name, name="protocol__name", curie=SCHEMA.curie('name'),
                   model_uri=KG.protocol__name, domain=None, range=Optional[str])

slots.protocol__protocol_type = Slot(uri=KG.protocolType, name="protocol__protocol_type", curie=KG.curie('protocolType'),
                   model_uri=KG.protocol__protocol_type, domain=None, range=Optional[Union[str, URIorCURIE]])

slots.protocol__protocol_type_name = Slot(uri=KG.protocolTypeName, name="protocol__protocol_type_name", curie=KG.curie('protocolTypeName'),
                   model_uri=KG.protocol__protocol_type_name, domain=None, range=Optional[str])

slots.phenotype__name = Slot(uri=SCHEMA.name, name="phenotype__name", curie=SCHEMA.curie('name'),
                   model_uri=KG.phenotype__name, domain=None, range=Optional[str])

slots.phenotype__score_type = Slot(uri=KG.scoreType, name="phenotype__score_type", curie=KG.curie('scoreType'),
                   model_uri=KG.phenotype__score_type, domain=None, range=Optional[str])

slots.phenotype__terms = Slot(uri=KG.phenotypeTerm, name="phenotype__terms", curie=KG.curie('phenotypeTerm'),
                   model_uri=KG.phenotype__terms, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.phenotype__term_names = Slot(uri=KG.phenotypeTermName, name="phenotype__term_names", curie=KG.curie('phenotypeTermName'),
                   model_uri=KG.phenotype__term_names, domain=None, range=Optional[Union[str, list[str]]])

slots.imageGroup__organisms = Slot(uri=OBO.RO_0002162, name="imageGroup__organisms", curie=OBO.curie('RO_0002162'),
                   model_uri=KG.imageGroup__organisms, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^http://purl\.obolibrary\.org/obo/NCBITaxon_\d+$'))

slots.imageGroup__cell_lines = Slot(uri=KG.cellLine, name="imageGroup__cell_lines", curie=KG.curie('cellLine'),
                   model_uri=KG.imageGroup__cell_lines, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.imageGroup__cell_line_names = Slot(uri=KG.cellLineName, name="imageGroup__cell_line_names", curie=KG.curie('cellLineName'),
                   model_uri=KG.imageGroup__cell_line_names, domain=None, range=Optional[Union[str, list[str]]])

slots.imageGroup__anatomical_entities = Slot(uri=KG.anatomicalEntity, name="imageGroup__anatomical_entities", curie=KG.curie('anatomicalEntity'),
                   model_uri=KG.imageGroup__anatomical_entities, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.imageGroup__genes = Slot(uri=KG.gene, name="imageGroup__genes", curie=KG.curie('gene'),
                   model_uri=KG.imageGroup__genes, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.imageGroup__gene_symbols = Slot(uri=KG.geneSymbol, name="imageGroup__gene_symbols", curie=KG.curie('geneSymbol'),
                   model_uri=KG.imageGroup__gene_symbols, domain=None, range=Optional[Union[str, list[str]]])

slots.imageGroup__sirnas = Slot(uri=KG.sirna, name="imageGroup__sirnas", curie=KG.curie('sirna'),
                   model_uri=KG.imageGroup__sirnas, domain=None, range=Optional[Union[str, list[str]]])

slots.imageGroup__antibodies = Slot(uri=KG.antibody, name="imageGroup__antibodies", curie=KG.curie('antibody'),
                   model_uri=KG.imageGroup__antibodies, domain=None, range=Optional[Union[str, list[str]]])

slots.imageGroup__compounds = Slot(uri=KG.compound, name="imageGroup__compounds", curie=KG.curie('compound'),
                   model_uri=KG.imageGroup__compounds, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.imageGroup__compound_names = Slot(uri=KG.compoundName, name="imageGroup__compound_names", curie=KG.curie('compoundName'),
                   model_uri=KG.imageGroup__compound_names, domain=None, range=Optional[Union[str, list[str]]])

slots.imageGroup__phenotypes = Slot(uri=KG.phenotype, name="imageGroup__phenotypes", curie=KG.curie('phenotype'),
                   model_uri=KG.imageGroup__phenotypes, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.imageGroup__phenotype_names = Slot(uri=KG.phenotypeName, name="imageGroup__phenotype_names", curie=KG.curie('phenotypeName'),
                   model_uri=KG.imageGroup__phenotype_names, domain=None, range=Optional[Union[str, list[str]]])

slots.imageGroup__control_type = Slot(uri=KG.controlType, name="imageGroup__control_type", curie=KG.curie('controlType'),
                   model_uri=KG.imageGroup__control_type, domain=None, range=Optional[str])

slots.imageGroup__intrinsic_variables = Slot(uri=KG.intrinsicVariable, name="imageGroup__intrinsic_variables", curie=KG.curie('intrinsicVariable'),
                   model_uri=KG.imageGroup__intrinsic_variables, domain=None, range=Optional[Union[str, list[str]]])

slots.imageGroup__extrinsic_variables = Slot(uri=KG.extrinsicVariable, name="imageGroup__extrinsic_variables", curie=KG.curie('extrinsicVariable'),
                   model_uri=KG.imageGroup__extrinsic_variables, domain=None, range=Optional[Union[str, list[str]]])

slots.dataFile__name = Slot(uri=SCHEMA.name, name="dataFile__name", curie=SCHEMA.curie('name'),
                   model_uri=KG.dataFile__name, domain=None, range=Optional[str])

slots.dataFile__url = Slot(uri=DCAT.downloadURL, name="dataFile__url", curie=DCAT.curie('downloadURL'),
                   model_uri=KG.dataFile__url, domain=None, range=Union[str, URI])

slots.dataFile__media_type = Slot(uri=DCAT.mediaType, name="dataFile__media_type", curie=DCAT.curie('mediaType'),
                   model_uri=KG.dataFile__media_type, domain=None, range=Optional[str])

slots.dataFile__size_bytes = Slot(uri=DCAT.byteSize, name="dataFile__size_bytes", curie=DCAT.curie('byteSize'),
                   model_uri=KG.dataFile__size_bytes, domain=None, range=Optional[int])

slots.dataFile__sha256 = Slot(uri=KG.sha256, name="dataFile__sha256", curie=KG.curie('sha256'),
                   model_uri=KG.dataFile__sha256, domain=None, range=Optional[str],
                   pattern=re.compile(r'^[0-9a-f]{64}$'))

slots.dataFile__role = Slot(uri=KG.fileRole, name="dataFile__role", curie=KG.curie('fileRole'),
                   model_uri=KG.dataFile__role, domain=None, range=Optional[str])

slots.person__name = Slot(uri=SCHEMA.name, name="person__name", curie=SCHEMA.curie('name'),
                   model_uri=KG.person__name, domain=None, range=Optional[str])

slots.person__given_name = Slot(uri=SCHEMA.givenName, name="person__given_name", curie=SCHEMA.curie('givenName'),
                   model_uri=KG.person__given_name, domain=None, range=Optional[str])

slots.person__family_name = Slot(uri=SCHEMA.familyName, name="person__family_name", curie=SCHEMA.curie('familyName'),
                   model_uri=KG.person__family_name, domain=None, range=Optional[str])

slots.person__email = Slot(uri=SCHEMA.email, name="person__email", curie=SCHEMA.curie('email'),
                   model_uri=KG.person__email, domain=None, range=Optional[str])

slots.person__orcid = Slot(uri=KG.orcid, name="person__orcid", curie=KG.curie('orcid'),
                   model_uri=KG.person__orcid, domain=None, range=Optional[Union[str, URI]],
                   pattern=re.compile(r'^https://orcid\.org/\d{4}-\d{4}-\d{4}-\d{3}[\dX]$'))

slots.person__roles = Slot(uri=KG.role, name="person__roles", curie=KG.curie('role'),
                   model_uri=KG.person__roles, domain=None, range=Optional[Union[str, list[str]]])

slots.person__affiliation = Slot(uri=SCHEMA.affiliation, name="person__affiliation", curie=SCHEMA.curie('affiliation'),
                   model_uri=KG.person__affiliation, domain=None, range=Optional[Union[dict, Organization]])

slots.organization__name = Slot(uri=SCHEMA.name, name="organization__name", curie=SCHEMA.curie('name'),
                   model_uri=KG.organization__name, domain=None, range=Optional[str])

slots.organization__ror = Slot(uri=KG.ror, name="organization__ror", curie=KG.curie('ror'),
                   model_uri=KG.organization__ror, domain=None, range=Optional[Union[str, URI]])

slots.organization__department = Slot(uri=KG.department, name="organization__department", curie=KG.curie('department'),
                   model_uri=KG.organization__department, domain=None, range=Optional[str])

slots.organization__laboratory = Slot(uri=KG.laboratory, name="organization__laboratory", curie=KG.curie('laboratory'),
                   model_uri=KG.organization__laboratory, domain=None, range=Optional[str])

slots.organization__address = Slot(uri=SCHEMA.address, name="organization__address", curie=SCHEMA.curie('address'),
                   model_uri=KG.organization__address, domain=None, range=Optional[str])

slots.publication__doi = Slot(uri=KG.doi, name="publication__doi", curie=KG.curie('doi'),
                   model_uri=KG.publication__doi, domain=None, range=Optional[Union[str, URI]],
                   pattern=re.compile(r'^https://doi\.org/10\.\d{4,9}/\S+$'))

slots.publication__pubmed_id = Slot(uri=KG.pubmedId, name="publication__pubmed_id", curie=KG.curie('pubmedId'),
                   model_uri=KG.publication__pubmed_id, domain=None, range=Optional[str],
                   pattern=re.compile(r'^\d+$'))

slots.publication__pmc_id = Slot(uri=KG.pmcId, name="publication__pmc_id", curie=KG.curie('pmcId'),
                   model_uri=KG.publication__pmc_id, domain=None, range=Optional[str])

slots.publication__citation_text = Slot(uri=DCTERMS.bibliographicCitation, name="publication__citation_text", curie=DCTERMS.curie('bibliographicCitation'),
                   model_uri=KG.publication__citation_text, domain=None, range=Optional[str])

slots.publication__url = Slot(uri=SCHEMA.url, name="publication__url", curie=SCHEMA.curie('url'),
                   model_uri=KG.publication__url, domain=None, range=Optional[Union[str, URI]])

slots.grant__funder = Slot(uri=KG.funder, name="grant__funder", curie=KG.curie('funder'),
                   model_uri=KG.grant__funder, domain=None, range=Optional[str])

slots.grant__grant_id = Slot(uri=KG.grantId, name="grant__grant_id", curie=KG.curie('grantId'),
                   model_uri=KG.grant__grant_id, domain=None, range=Optional[str])

slots.tombstone__withdrawn = Slot(uri=KG.withdrawn, name="tombstone__withdrawn", curie=KG.curie('withdrawn'),
                   model_uri=KG.tombstone__withdrawn, domain=None, range=Optional[Union[str, XSDDate]])

slots.tombstone__withdrawal_reason = Slot(uri=KG.withdrawalReason, name="tombstone__withdrawal_reason", curie=KG.curie('withdrawalReason'),
                   model_uri=KG.tombstone__withdrawal_reason, domain=None, range=Optional[str])

slots.linkCheck__link_ok = Slot(uri=KG.linkOk, name="linkCheck__link_ok", curie=KG.curie('linkOk'),
                   model_uri=KG.linkCheck__link_ok, domain=None, range=Optional[Union[bool, Bool]])

slots.linkCheck__link_status = Slot(uri=KG.linkStatus, name="linkCheck__link_status", curie=KG.curie('linkStatus'),
                   model_uri=KG.linkCheck__link_status, domain=None, range=Optional[int])

slots.linkCheck__link_media_type = Slot(uri=KG.linkMediaType, name="linkCheck__link_media_type", curie=KG.curie('linkMediaType'),
                   model_uri=KG.linkCheck__link_media_type, domain=None, range=Optional[str])

slots.linkCheck__link_size = Slot(uri=KG.linkSize, name="linkCheck__link_size", curie=KG.curie('linkSize'),
                   model_uri=KG.linkCheck__link_size, domain=None, range=Optional[int])

slots.linkCheck__link_checked_at = Slot(uri=KG.linkCheckedAt, name="linkCheck__link_checked_at", curie=KG.curie('linkCheckedAt'),
                   model_uri=KG.linkCheck__link_checked_at, domain=None, range=Optional[Union[str, XSDDateTime]])

slots.linkCheck__link_final_url = Slot(uri=KG.linkFinalUrl, name="linkCheck__link_final_url", curie=KG.curie('linkFinalUrl'),
                   model_uri=KG.linkCheck__link_final_url, domain=None, range=Optional[Union[str, URI]])

slots.linkCheck__link_error = Slot(uri=KG.linkError, name="linkCheck__link_error", curie=KG.curie('linkError'),
                   model_uri=KG.linkCheck__link_error, domain=None, range=Optional[str])

slots.Project_title = Slot(uri=DCTERMS.title, name="Project_title", curie=DCTERMS.curie('title'),
                   model_uri=KG.Project_title, domain=Project, range=str)

slots.Dataset_title = Slot(uri=DCTERMS.title, name="Dataset_title", curie=DCTERMS.curie('title'),
                   model_uri=KG.Dataset_title, domain=Dataset, range=str)

slots.ImageGroup_image_count = Slot(uri=KG.imageCount, name="ImageGroup_image_count", curie=KG.curie('imageCount'),
                   model_uri=KG.ImageGroup_image_count, domain=ImageGroup, range=int)
